using System.CommandLine;
using System.CommandLine.Help;

namespace WeakNas.Cli;

/// <summary>
/// The `weaknas` command. Every user error ends as one line on stderr and exit code 2; a stack trace is
/// printed only for a defect in the program itself (exit code 1).
/// </summary>
public static class WeakNasCli
{
    public const int UsageError = 2;

    /// <summary>The command's name, as installed (<c>ToolCommandName</c>).</summary>
    public const string CommandName = "weaknas";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parse = Root(stdout, stderr).Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"weaknas: {ParseErrors.Describe(parse)}");
            return UsageError;
        }
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(configuration);
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine($"weaknas: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A path the user gave that the system refuses (too long, no permission, a disk that is full): the system's
            // message names the path. The commands name their option where they check it first; this is the net under them.
            stderr.WriteLine($"weaknas: {e.Message.ReplaceLineEndings(" ")}");
            return UsageError;
        }
    }

    /// <summary>The whole command tree, every numeric option with its strict parser and range.</summary>
    internal static Command Root(TextWriter stdout, TextWriter stderr)
    {
        // A root named as the installed command (a RootCommand takes the assembly's name, WeakNas.Cli), so usage lines say weaknas.
        var root = new Command(CommandName, "WeakNAS.NET: sample-efficient neural architecture search with weak predictors.")
        {
            new HelpOption(), new VersionOption(),
        };
        root.Subcommands.Add(SearchCommand.Create(stdout, stderr));
        root.Subcommands.Add(Bench.BenchCommand.Create(stdout, stderr));
        root.Subcommands.Add(Perf.PerfCommand.Create(stdout));
        root.Subcommands.Add(SpaceCommand.Create(stdout, stderr));
        root.Subcommands.Add(LatencyModelCommand.Create(stdout));
        root.Subcommands.Add(DataCommand.Create(stdout));
        root.Subcommands.Add(StudyCommand.Create(stdout, stderr));
        root.Subcommands.Add(StudyCommand.WorkerCommand(stdout, stderr));
        root.Subcommands.Add(Dashboard.DashboardCommand.Create(stdout, stderr));
        NumericOptions.Install(root);
        return root;
    }
}
