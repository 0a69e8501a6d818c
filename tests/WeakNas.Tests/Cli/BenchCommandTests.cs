using WeakNas.Cli;

namespace WeakNas.Tests.Cli;

public class BenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Writes_log_summary_and_plots_and_resumes_without_redoing_finished_runs()
    {
        using var dir = new TemporaryFolder();
        string[] Args(int runs) =>
            ["bench", "--data", TestData.Folder, "--dataset", "cifar10", "--strategies", "random,evolution,local",
             "--runs", runs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--budget", "30", "--out", dir.Path];

        var first = Run(Args(2));
        Assert.True(first.Code == 0, first.Err);
        string log = Path.Combine(dir.Path, "runs.jsonl");
        Assert.Equal(6, File.ReadAllLines(log).Length);
        foreach (string file in new[] { "summary.md", "summary.csv", "accuracy-cifar10.png", "queries-to-optimum-cifar10.png" })
            Assert.True(new FileInfo(Path.Combine(dir.Path, file)).Length > 0, file);
        Assert.Contains("| evolution | 2 |", File.ReadAllText(Path.Combine(dir.Path, "summary.md")));

        var again = Run(Args(2));
        Assert.Equal(0, again.Code);
        Assert.Contains("6 already", again.Err);
        Assert.Equal(6, File.ReadAllLines(log).Length);

        var more = Run(Args(3));
        Assert.Equal(0, more.Code);
        Assert.Equal(9, File.ReadAllLines(log).Length);
        Assert.Contains("| local | 3 |", more.Out);
    }

    [Fact]
    public void Trace_writes_each_weaknas_iteration_and_leaves_the_runs_as_they_are()
    {
        using var traced = new TemporaryFolder();
        using var plain = new TemporaryFolder();
        string[] Args(string folder) =>
            ["bench", "--data", TestData.Folder, "--dataset", "cifar10", "--strategies", "weaknas,random", "--runs", "2", "--budget", "30",
             "--hidden", "16,16", "--epochs", "20", "--greedy", "1", "--predictors", "2", "--targets", "rank", "--jobs", "1", "--out", folder];
        var first = Run([.. Args(traced.Path), "--trace"]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal(0, Run(Args(plain.Path)).Code);
        static string[] Runs(string folder) =>
            [.. File.ReadAllLines(Path.Combine(folder, "runs.jsonl")).Select(line => System.Text.RegularExpressions.Regex.Replace(line, "\"seconds\":[^,]*,", ""))];
        Assert.Equal(Runs(plain.Path), Runs(traced.Path));
        Assert.False(File.Exists(Path.Combine(plain.Path, "trace.jsonl")));
        var lines = File.ReadAllLines(Path.Combine(traced.Path, "trace.jsonl"));
        // Budget 30: 10 initial, then 4 iterations of 5 per run, for each of the two WeakNAS runs; random search is not traced.
        Assert.Equal(8, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"strategy\":\"weaknas\"", line));
        Assert.Equal(4, lines.Count(line => line.Contains("\"seed\":1,", StringComparison.Ordinal)));
    }

    [Fact]
    public void Trace_holds_weaknas_against_the_ofa_pool()
    {
        using var dir = new TemporaryFolder();
        var (code, _, stderr) = Run("bench", "--space", "ofa-mbv3", "--dataset", "pool", "--pool", "300", "--strategies", "weaknas,random", "--runs", "1",
            "--first-seed", "1", "--budget", "30", "--hidden", "16,16", "--epochs", "20", "--jobs", "1", "--trace", "--out", dir.Path);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "trace.jsonl"));
        // 10 initial, then 4 iterations of 5; seed 1 does not evaluate the optimum, so its predicted rank among the
        // pool's unevaluated members is in every line (the pool is the truth the ranking is held against).
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"dataset\":\"pool\",\"strategy\":\"weaknas\"", line));
        var rows = lines.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([10, 15, 20, 25], rows.Select(r => r.GetProperty("told").GetInt32()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("optimum_rank").GetInt32(), 0, 299 - 10));
    }

    [Theory]
    [InlineData("--trace applies to unconstrained single-objective benches", "--trace", "--constraint", "params<=1")]
    [InlineData("--trace applies to ofa-mbv3's pool, which has a truth to hold rankings against; use --dataset pool", "--trace", "--space", "ofa-mbv3", "--dataset", "pool,open")]
    [InlineData("--greedy 5 must be between 0 and --per-iteration minus --explore (4)", "--greedy", "5", "--strategies", "weaknas")]
    [InlineData("--greedy-when-sure must be between 0 and 1, got 1.5", "--greedy-when-sure", "1.5", "--strategies", "weaknas")]
    [InlineData("--targets 'order' is not a target; expected value or rank", "--targets", "order", "--strategies", "weaknas")]
    [InlineData("--predictors must be between 1 and 100, got 0", "--predictors", "0", "--strategies", "weaknas")]
    [InlineData("unknown strategy 'genetic'", "--strategies", "random,genetic")]
    [InlineData("unknown dataset 'svhn'", "--dataset", "svhn")]
    [InlineData("--runs must be between 1 and 100000, got 0", "--runs", "0")]
    [InlineData("--jobs must be between 1 and 128, got 0", "--jobs", "0")]
    public void User_errors_give_one_line_and_exit_code_2(string expected, params string[] extra)
    {
        using var dir = new TemporaryFolder();
        var (code, _, stderr) = Run(["bench", "--data", TestData.Folder, "--out", dir.Path, .. extra]);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Missing_out_option_is_a_usage_error()
    {
        var (code, _, stderr) = Run("bench", "--data", TestData.Folder);
        Assert.Equal(2, code);
        Assert.Contains("--out", stderr);
    }
}
