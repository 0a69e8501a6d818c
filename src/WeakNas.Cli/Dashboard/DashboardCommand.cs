using System.CommandLine;
using System.Net;
using WeakNas.Studies;

namespace WeakNas.Cli.Dashboard;

/// <summary>
/// `weaknas dashboard`: a local web page of the studies in a storage, live (the page asks for fresh JSON every couple of
/// seconds): a list of studies, and for each one its header, trials table, optimization history, per-decision view
/// (declared spaces), a Pareto view against a second reported metric, and its failures. Read-only; bound to 127.0.0.1
/// unless told otherwise; runs until Ctrl-C.
/// </summary>
internal static class DashboardCommand
{
    public const int DefaultPort = 8080;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var storage = new Option<string?>("--storage")
        {
            Description = $"Storage to show: sqlite:///relative.db, sqlite:////absolute.db, postgresql://user:password@host:port/db (default: ${StudyStorage.EnvironmentVariable}, else sqlite:///{StudyStorage.DefaultFile}). Only read, never written.",
        };
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on: 127.0.0.1 (this machine only), ::1, localhost, or 0.0.0.0 to let other machines in (the page has no login).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port") { Description = "Port to listen on; 0 picks a free one (the address printed says which).", DefaultValueFactory = _ => DefaultPort };
        var refresh = new Option<double>("--refresh") { Description = "Seconds between the page's refreshes of what it shows.", DefaultValueFactory = _ => 2 };
        var exitAfter = new Option<double?>("--exit-after") { Description = "Stop after this many seconds (for tests and scripts).", Hidden = true };
        var command = new Command("dashboard", "Serve a live web page of the studies in a storage (trials, history, decisions, Pareto view, failures) until Ctrl-C.")
        {
            storage, host, port, refresh, exitAfter,
        };
        command.SetAction(parse =>
        {
            var address = Address(parse.GetValue(host)!);
            string url = StudyStorage.Resolve(parse.GetValue(storage));
            CheckExisting(url);
            using var store = StudyStorage.Open(url);
            // A server that does not answer, a file that is not a database: said now, before anything listens.
            _ = store.StudyNames();
            string label = store is SqlStudyStorage sql ? sql.Location : "memory: (empty: a memory storage lives in one process)";
            var settings = new DashboardSettings(label, (int)Math.Round(parse.GetValue(refresh) * 1000));
            using var interruption = new Interruption();
            using var server = DashboardServer.Start(store, settings, address, parse.GetValue(port));
            stdout.WriteLine($"weaknas dashboard: {server.Url} showing {label} (read-only); Ctrl-C to stop");
            if (!IPAddress.IsLoopback(address))
                stderr.WriteLine($"weaknas dashboard: listening on {address}: anyone who reaches this machine can read the studies");
            stdout.Flush();
            var wait = parse.GetValue(exitAfter) is double seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
            interruption.Token.WaitHandle.WaitOne(wait);
            stdout.WriteLine("weaknas dashboard: stopped");
            return 0;
        });
        return command;
    }

    /// <summary>The address of --host: an IP address (IPv6 with or without brackets) or localhost.</summary>
    internal static IPAddress Address(string text)
    {
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        string bare = text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
        if (bare.Length > 0 && bare.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':') && IPAddress.TryParse(bare, out var address)
            && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || bare.Count(c => c == '.') == 3))
            return address;
        throw new InvalidInputException($"--host '{Printable(text)}' is not an IP address or localhost; expected e.g. 127.0.0.1, ::1 or 0.0.0.0");
    }

    /// <summary>
    /// A SQLite storage must exist: opening a new path would create an empty database there, and the dashboard writes
    /// nothing (a mistyped path is an error, not an empty page). The other forms are left to <see cref="StudyStorage.Open"/>.
    /// </summary>
    private static void CheckExisting(string url)
    {
        if (StudyStorage.SqliteFile(url) is { } file && !File.Exists(file) && !Directory.Exists(file) && new FileInfo(file).LinkTarget == null)
            throw new InvalidInputException($"--storage '{Printable(url)}': no such file; the dashboard shows an existing storage (create studies with `weaknas study create`)");
    }

    private static string Printable(string text)
    {
        string s = new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return s.Length > 200 ? s[..200] + "…" : s;
    }
}
