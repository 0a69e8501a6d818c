using System.Text.Json;
using WeakNas.Cli;
using WeakNas.Tests.Studies;

namespace WeakNas.Tests.Cli;

/// <summary>What a new user meets first: a search with nothing configured, readable errors, a bar that fits, Ctrl-C.</summary>
public class FirstRunTests
{
    [Fact]
    public void A_search_with_no_data_option_uses_the_embedded_tables_and_matches_the_folder()
    {
        using var dir = new TemporaryFolder();
        string embedded = Path.Combine(dir.Path, "embedded.json"), folder = Path.Combine(dir.Path, "folder.json");
        using (var process = new CliProcess("search", "--budget", "50", "--no-progress", "--out", embedded))
        {
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), process.ToString());
            Assert.True(process.ExitCode == 0, process.ToString());
            Assert.Contains("weaknas on nb201/cifar10", process.Stdout);
        }
        var (code, _, stderr) = CliRunner.Run("search", "--budget", "50", "--no-progress", "--data", TestData.Folder, "--out", folder);
        Assert.True(code == 0, stderr);
        static string WithoutSeconds(string path) => string.Join('\n', File.ReadAllLines(path).Where(l => !l.Contains("\"seconds\"", StringComparison.Ordinal)));
        Assert.Equal(WithoutSeconds(folder), WithoutSeconds(embedded));
    }

    [Fact]
    public void Nas_bench_101_with_no_data_folder_searches_the_embedded_sample_and_says_so()
    {
        using var process = new CliProcess("search", "--space", "nb101", "--strategy", "random", "--budget", "20", "--no-progress");
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), process.ToString());
        Assert.True(process.ExitCode == 0, process.ToString());
        Assert.Contains("searching the embedded nb101_sample_1k.json (1,000 cells)", process.Stderr);
        Assert.Contains("random on nb101/cifar10", process.Stdout);
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "nb101", "--table", "missing.json"),
            "NAS-Bench-101 table not found: missing.json (the embedded samples are named nb101_sample_1k.json and nb101_api_30.json)");
    }

    [Theory]
    [InlineData(new[] { "serach" }, "unknown command 'serach' for 'weaknas'; did you mean 'search'?")]
    [InlineData(new[] { "study", "crate" }, "unknown command 'crate' for 'weaknas study'; did you mean 'create'?")]
    [InlineData(new[] { "search", "--bugdet", "5" }, "unknown option '--bugdet' for 'weaknas search'; did you mean '--budget'?")]
    [InlineData(new[] { "search", "--budget", "abc" }, "--budget: 'abc' is not an integer")]
    [InlineData(new[] { "search", "--seed", "-1" }, "--seed: '-1' is not a whole number from 0 to 18446744073709551615")]
    [InlineData(new[] { "search", "--top-decay", "fast" }, "--top-decay: 'fast' is not a finite number (digits with '.' as the decimal point, no thousands separators)")]
    [InlineData(new[] { "search", "--budget" }, "--budget needs a value")]
    [InlineData(new[] { "study" }, "'weaknas study' needs a command: one of create, status, export, plot, ask, tell")]
    [InlineData(new[] { "xyzzy" }, "unknown command 'xyzzy' for 'weaknas' (commands: search, bench")]
    public void Parse_errors_say_what_was_expected_in_words(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        CliRunner.AssertOneLineError(result, expected);
        Assert.DoesNotContain("System.", result.Err);
    }

    [Fact]
    public void Usage_lines_name_the_installed_command()
    {
        var (code, stdout, _) = CliRunner.Run("search", "--help");
        Assert.Equal(0, code);
        Assert.Contains("weaknas search [options]", stdout);
        Assert.DoesNotContain("WeakNas.Cli", stdout);
    }

    [Fact]
    public void Options_of_weaknas_do_not_hold_back_another_strategy()
    {
        var (code, stdout, stderr) = CliRunner.Run("search", "--strategy", "random", "--budget", "5", "--no-progress");
        Assert.True(code == 0, stderr);
        Assert.Contains("5 queries", stdout);
        // Given explicitly, they are ignored, and said to be.
        (code, _, stderr) = CliRunner.Run("search", "--strategy", "evolution", "--budget", "5", "--top", "3", "--no-progress");
        Assert.Equal(0, code);
        Assert.Contains("note: --top applies to weaknas and weaknas-ei only; ignored by evolution", stderr);
        // For WeakNAS itself they are still checked.
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--budget", "5", "--no-progress"), "--budget 5 is below --initial 10");
    }

    [Fact]
    public void An_out_path_that_cannot_be_written_stops_the_search_before_it_starts()
    {
        using var dir = new TemporaryFolder();
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--no-progress", "--out", dir.Path), $"--out '{dir.Path}' is a directory: refusing to replace it with a file");
        string blocked = Path.Combine(dir.Path, "file");
        File.WriteAllText(blocked, "");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--no-progress", "--out", Path.Combine(blocked, "result.json")), "cannot write --out");
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData(2, "SIGINT", "")]
    [InlineData(15, "SIGTERM", "")]
    [InlineData(2, "SIGINT", "accuracy,latency:pixel3")]
    public void An_interrupted_search_writes_its_queries_so_far_marked_incomplete(int signal, string name, string objectives)
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "partial.json");
        string[] args = objectives.Length == 0 ? ["search", "--budget", "1000", "--out", path] : ["search", "--budget", "1000", "--out", path, "--objectives", objectives];
        using var process = new CliProcess(args);
        // Redirected stderr: a progress line at every tenth of the budget; interrupt after the first.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!process.Stderr.Contains("100/1000 queries", StringComparison.Ordinal) && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.False(process.HasExited, process.ToString());
        process.Signal(signal);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), name + ": " + process.ToString());
        Assert.True(process.ExitCode == 130, name + ": " + process.ToString());
        Assert.Contains("interrupted after ", process.Stderr);
        Assert.Contains($"wrote the partial result to {path}", process.Stderr);
        var json = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.False(json.GetProperty("complete").GetBoolean());
        int queries = json.GetProperty("queries").GetArrayLength();
        Assert.InRange(queries, 100, 999);
        Assert.Equal(queries, json.GetProperty("queries")[queries - 1].GetProperty("n").GetInt32());
    }

    [Fact]
    public void A_finished_search_writes_no_complete_field()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "r.json");
        var (code, _, stderr) = CliRunner.Run("search", "--strategy", "random", "--budget", "20", "--no-progress", "--out", path);
        Assert.True(code == 0, stderr);
        Assert.False(JsonDocument.Parse(File.ReadAllText(path)).RootElement.TryGetProperty("complete", out _));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(80)]
    [InlineData(50)]
    [InlineData(30)]
    [InlineData(12)]
    [InlineData(5)]
    public void The_progress_line_is_narrower_than_the_terminal(int width)
    {
        foreach (int done in new[] { 1, 57, 999, 1000 })
        {
            string line = ProgressBar.Line(done, 1000, 91.6067, 34, done / 20.0, width);
            Assert.True(line.Length < width || width <= 1, $"{line.Length} columns at width {width}: '{line}'");
            Assert.StartsWith(width >= 12 ? (line.StartsWith('[') ? "[" : $"{done}/1000") : "", line);
        }
        string at50 = ProgressBar.Line(100, 1000, 91.6067, 34, 5, 50);
        Assert.Contains("100/1000", at50);
        Assert.Contains("ETA 0:45", at50);
        Assert.Contains("20 q/s", ProgressBar.Line(100, 1000, 91.6067, 34, 5, 80));
    }
}
