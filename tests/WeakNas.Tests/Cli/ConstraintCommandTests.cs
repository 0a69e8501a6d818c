using System.Text.Json;

namespace WeakNas.Tests.Cli;

public class ConstraintCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string[] Search(params string[] extra) => ["search", "--data", TestData.Folder, "--no-progress", .. extra];

    [Theory]
    [InlineData("unknown device 'pixel4'; devices in NAS-Bench-201 cifar10: 1080ti_1, 1080ti_256", "--constraint", "latency:pixel4<=12.5")]
    [InlineData("--constraint 'pixel3<=12.5': unknown metric 'pixel3'", "--constraint", "pixel3<=12.5")]
    [InlineData("--constraint 'params=0.8': expected METRIC<=BOUND", "--constraint", "params=0.8")]
    [InlineData("--constraint 'params<=big': bound 'big'", "--constraint", "params<=0.9", "--constraint", "params<=big")]
    [InlineData("no architecture of NAS-Bench-201 cifar10 satisfies params<=0.01", "--constraint", "params<=0.01")]
    [InlineData("--latency-model needs a latency constraint", "--latency-model", "--constraint", "params<=0.8")]
    [InlineData("--latency-model needs a latency constraint", "--latency-model")]
    [InlineData("--latency-margin applies only with --latency-model", "--latency-margin", "0.1", "--constraint", "latency:fpga<=3")]
    [InlineData("--latency-margin must be between 0 and 0.999, got 1.5", "--latency-model", "--latency-margin", "1.5", "--constraint", "latency:fpga<=3")]
    [InlineData("--latency-sigmas applies only with --latency-model", "--latency-sigmas", "2", "--constraint", "latency:fpga<=3")]
    [InlineData("--latency-sigmas must be between 0 and 100, got -1", "--latency-model", "--latency-sigmas", "-1", "--constraint", "latency:fpga<=3")]
    [InlineData("--latency-samples must be between 0 and 100000, got -1", "--latency-model", "--latency-samples", "-1", "--constraint", "latency:fpga<=3")]
    [InlineData("no latency is known for NAS-Bench-101", "--space", "nb101", "--table", "NB101_SAMPLE", "--constraint", "latency:pixel3<=10")]
    public void Constraint_errors_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        var resolved = args.Select(a => a == "NB101_SAMPLE" ? Path.Combine(TestData.Folder, "nasbench101", "nb101_sample_1k.json") : a).ToArray();
        CliRunner.AssertOneLineError(Run(Search(resolved)), expected);
    }

    [Fact]
    public void A_constrained_search_reports_the_constrained_optimum_and_writes_the_constraint()
    {
        using var dir = new TemporaryFolder();
        string output = Path.Combine(dir.Path, "result.json");
        var (code, stdout, stderr) = Run(Search("--strategy", "evolution", "--budget", "40", "--seed", "3",
            "--constraint", "latency:pixel3<=12.5", "--constraint", "params<=0.8", "--out", output));
        Assert.True(code == 0, stderr);
        Assert.Contains("constraint latency:pixel3<=12.5 & params<=0.8 (latency:pixel3<=12.5 ms & params<=0.8 M):", stdout);
        Assert.Contains("feasibility from the table", stdout);
        Assert.Contains("constrained optimum: index", stdout);
        Assert.Contains("device queries (latency measurements): 0; infeasible architectures evaluated: 0", stdout);

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        var constraint = root.GetProperty("constraint");
        Assert.Equal("latency:pixel3<=12.5 & params<=0.8", constraint.GetProperty("label").GetString());
        Assert.Equal("table", constraint.GetProperty("mode").GetString());
        int feasible = constraint.GetProperty("feasible_architectures").GetInt32();
        Assert.InRange(feasible, 1000, 15000);
        var queries = root.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(40, queries.Count);
        Assert.All(queries, q => Assert.True(q.GetProperty("feasible").GetBoolean()));
    }

    [Fact]
    public void An_unconstrained_search_writes_no_constraint_fields()
    {
        using var dir = new TemporaryFolder();
        string output = Path.Combine(dir.Path, "result.json");
        var (code, stdout, _) = Run(Search("--strategy", "random", "--budget", "10", "--out", output));
        Assert.Equal(0, code);
        Assert.Contains("global optimum", stdout);
        string text = File.ReadAllText(output);
        Assert.DoesNotContain("constraint", text);
        Assert.DoesNotContain("feasible", text);
    }

    [Fact]
    public void A_search_through_the_runtime_model_counts_device_queries()
    {
        var (code, stdout, stderr) = Run(Search("--strategy", "random", "--budget", "30", "--seed", "1",
            "--constraint", "latency:raspi4<=p50", "--latency-model", "--latency-samples", "30"));
        Assert.True(code == 0, stderr);
        Assert.Contains("feasibility from the runtime model, 1 sigma, 30 calibration measurements", stdout);
        Assert.Matches(@"device queries \(latency measurements\): (5[0-9]|60); infeasible architectures evaluated: \d+", stdout);
    }

    [Fact]
    public void Bench_expands_devices_and_percentiles_into_constraint_cells()
    {
        using var dir = new TemporaryFolder();
        var (code, stdout, stderr) = Run("bench", "--data", TestData.Folder, "--dataset", "cifar10", "--strategies", "random,evolution",
            "--devices", "fpga,pixel3", "--latency-percentiles", "25,75", "--runs", "2", "--budget", "15", "--out", dir.Path);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "runs.jsonl"));
        Assert.Equal(2 * 2 * 2 * 2, lines.Length);
        Assert.Contains("### cifar10: queries to the constrained optimum", stdout);
        foreach (string cell in new[] { "latency:fpga<=p25", "latency:fpga<=p75", "latency:pixel3<=p25", "latency:pixel3<=p75" })
            Assert.Contains($"### cifar10, {cell}", stdout);
        Assert.True(File.Exists(Path.Combine(dir.Path, "accuracy-cifar10-latency-fpga-le-p25.png")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "queries-to-optimum-cifar10-latency-pixel3-le-p75.png")));
        Assert.Contains("latency:fpga<=p25 /", stderr.Replace(" random seed", " / random seed", StringComparison.Ordinal).Replace(" evolution seed", " / evolution seed", StringComparison.Ordinal));

        var again = Run("bench", "--data", TestData.Folder, "--dataset", "cifar10", "--strategies", "random,evolution",
            "--devices", "fpga,pixel3", "--latency-percentiles", "25,75", "--runs", "2", "--budget", "15", "--out", dir.Path);
        Assert.Equal(0, again.Code);
        Assert.Contains("16 already", again.Err);
    }

    [Theory]
    [InlineData("--devices needs --latency-percentiles", "--devices", "fpga")]
    [InlineData("--latency-percentiles needs --devices", "--latency-percentiles", "50")]
    [InlineData("--latency-percentiles: '150' is not a percentile from 0 to 100", "--devices", "fpga", "--latency-percentiles", "150")]
    [InlineData("unknown device 'tpu'", "--devices", "tpu", "--latency-percentiles", "50")]
    [InlineData("--constraint 'params': expected", "--constraint", "params")]
    public void Bench_constraint_errors_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        using var dir = new TemporaryFolder();
        CliRunner.AssertOneLineError(Run(["bench", "--data", TestData.Folder, "--dataset", "cifar10", "--strategies", "random", "--runs", "1", "--budget", "10", "--out", dir.Path, .. args]), expected);
    }

    [Fact]
    public void Latency_model_reports_fit_per_device()
    {
        var (code, stdout, stderr) = Run("latency-model", "--data", TestData.Folder, "--device", "fpga,pixel3", "--samples", "100", "--verbose");
        Assert.True(code == 0, stderr);
        Assert.Contains("## Fitted on K = 100 random cells (seed 0), scored on all 15,625", stdout);
        Assert.Matches(@"\| fpga \| 3\.72 \| 0\.000 \| 0\.000 \| 0\.000 \| 0\.000 \| 1\.000 \| 1\.000 \|", stdout);
        Assert.Matches(@"\| pixel3 \| 10\.68 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| 0\.[6-8]\d\d \| 0\.9\d\d \|", stdout);
        Assert.Contains("| fpga | 1.1330 | 0→1 | 0.0000 |", stdout);
    }

    [Theory]
    [InlineData("unknown device 'pixel9'; devices in nb201_latency.csv: 1080ti_1", "--device", "pixel9")]
    [InlineData("--samples: 'many' is not a positive number of cells or all", "--samples", "many")]
    [InlineData("--repeats must be between 1 and 1000, got 0", "--repeats", "0")]
    public void Latency_model_errors_give_one_line_and_exit_code_2(string expected, params string[] args) =>
        CliRunner.AssertOneLineError(Run(["latency-model", "--data", TestData.Folder, .. args]), expected);
}
