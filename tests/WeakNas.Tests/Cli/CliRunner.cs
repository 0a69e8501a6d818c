using WeakNas.Cli;

namespace WeakNas.Tests.Cli;

/// <summary>Runs the `weaknas` command in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = WeakNasCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts a user error: exit code 2, nothing on stdout, one line on stderr holding <paramref name="expected"/>, no stack trace.</summary>
    public static void AssertOneLineError((int Code, string Out, string Err) result, string expected)
    {
        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Out);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }
}
