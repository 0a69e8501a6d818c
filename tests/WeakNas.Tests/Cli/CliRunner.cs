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
}
