using System.Globalization;
using System.Text.Json;
using WeakNas.MultiObjective;
using WeakNas.Tests.Hardware;

namespace WeakNas.Tests.Cli;

public class ObjectiveCommandTests
{
    private static string[] Search(params string[] extra) => ["search", "--data", TestData.Folder, "--no-progress", .. extra];

    [Theory]
    [InlineData("unknown device 'pixel4'; devices in NAS-Bench-201 cifar10: 1080ti_1, 1080ti_256", "--objectives", "accuracy,latency:pixel4")]
    [InlineData("--objectives 'accuracy,macs': unknown metric 'macs'; expected accuracy, params, flops or latency:DEVICE", "--objectives", "accuracy,macs")]
    [InlineData("unknown metric 'flops'; metrics of NAS-Bench-201", "--objectives", "accuracy,flops")]
    [InlineData("--objectives 'latency:pixel3': accuracy must be one of the objectives", "--objectives", "latency:pixel3")]
    [InlineData("--objectives 'accuracy': needs a cost", "--objectives", "accuracy")]
    [InlineData("unknown multi-objective strategy 'bananas'; expected one of weaknas, random, nsga2", "--objectives", "accuracy,params", "--strategy", "bananas")]
    [InlineData("unknown strategy 'nsga2'", "--strategy", "nsga2")]
    [InlineData("--stop-at-optimum does not apply to --objectives", "--objectives", "accuracy,params", "--stop-at-optimum")]
    [InlineData("--latency-model does not apply to --objectives", "--objectives", "accuracy,params", "--latency-model", "--constraint", "latency:fpga<=3")]
    [InlineData("--stall-patience does not apply to --objectives", "--objectives", "accuracy,params", "--stall-patience", "3")]
    [InlineData("multi-objective search needs a space with latency tables (nb201), not nb101", "--objectives", "accuracy,params", "--space", "nb101")]
    [InlineData("no architecture of NAS-Bench-201 cifar10 satisfies params<=0.01", "--objectives", "accuracy,latency:pixel3", "--constraint", "params<=0.01")]
    public void Objective_errors_give_one_line_and_exit_code_2(string expected, params string[] args) =>
        CliRunner.AssertOneLineError(CliRunner.Run(Search(args)), expected);

    [Theory]
    [InlineData("unknown multi-objective strategy 'evolution'", "--strategies", "random,evolution")]
    [InlineData("--devices does not apply to --objectives", "--devices", "pixel3", "--latency-percentiles", "25")]
    [InlineData("--objectives 'accuracy,latency:pixel3,latency:pixel3': latency:pixel3 given twice", "--objectives", "accuracy,latency:pixel3,latency:pixel3")]
    [InlineData("--front-at must be between 1 and 1000000 evaluations, got 0", "--front-at", "0")]
    public void Bench_objective_errors_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        using var dir = new TemporaryFolder();
        string[] common = ["bench", "--data", TestData.Folder, "--out", dir.Path, "--runs", "1", "--budget", "20"];
        var full = args.Contains("--objectives") ? common.Concat(args).ToArray() : [.. common, "--objectives", "accuracy,latency:pixel3", .. args];
        CliRunner.AssertOneLineError(CliRunner.Run(full), expected);
    }

    [Fact]
    public void Front_at_without_objectives_is_an_error()
    {
        using var dir = new TemporaryFolder();
        CliRunner.AssertOneLineError(CliRunner.Run("bench", "--data", TestData.Folder, "--out", dir.Path, "--runs", "1", "--budget", "20", "--front-at", "10"),
            "--front-at applies only with --objectives");
    }

    [Fact]
    public void A_multi_objective_search_prints_and_writes_its_front_and_hypervolume_ratio()
    {
        using var dir = new TemporaryFolder();
        string output = Path.Combine(dir.Path, "result.json");
        var (code, stdout, stderr) = CliRunner.Run(Search("--objectives", "accuracy,latency:pixel3", "--strategy", "nsga2", "--budget", "70", "--seed", "2", "--out", output));
        Assert.True(code == 0, stderr);
        Assert.Contains("nsga2 (multi-objective) on nb201/cifar10", stdout);
        Assert.Contains("reference point (1.1, 1.1)", stdout);

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        var objectives = root.GetProperty("objectives");
        Assert.Equal("accuracy,latency:pixel3", objectives.GetProperty("label").GetString());
        double ratio = objectives.GetProperty("hypervolume_ratio").GetDouble();
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"hypervolume ratio {ratio:F4}"), stdout);

        // The front is exactly the non-dominated set of the queried architectures, scored as the problem scores it.
        var problem = ObjectiveSet.Parse("accuracy,latency:pixel3").Resolve(HardwareData.Cifar10.SearchAccuracy, HardwareData.Metrics);
        var queried = root.GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(70, queried.Distinct().Count());
        var front = objectives.GetProperty("front").EnumerateArray().ToList();
        Assert.Equal(problem.FrontOf(queried).Order(), front.Select(m => m.GetProperty("index").GetInt32()).Order());
        Assert.Equal(problem.HypervolumeRatio(queried), ratio, 12);
        Assert.Equal(problem.TrueFront.Length, objectives.GetProperty("true_front_size").GetInt32());
        var latency = HardwareData.LatencyOf("pixel3");
        foreach (var m in front)
        {
            int index = m.GetProperty("index").GetInt32();
            Assert.Equal(latency[index], m.GetProperty("latency:pixel3").GetDouble());
            Assert.Equal(HardwareData.Cifar10.SearchAccuracy(index), m.GetProperty("search_acc").GetDouble());
        }
    }

    [Fact]
    public void Three_objectives_under_a_constraint_stay_feasible()
    {
        using var dir = new TemporaryFolder();
        string output = Path.Combine(dir.Path, "result.json");
        var (code, stdout, stderr) = CliRunner.Run(Search("--objectives", "accuracy,latency:fpga,params", "--strategy", "random", "--budget", "40",
            "--constraint", "latency:pixel3<=p50", "--out", output));
        Assert.True(code == 0, stderr);
        Assert.Contains("constraint latency:pixel3<=p50", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.All(root.GetProperty("queries").EnumerateArray(), q => Assert.True(q.GetProperty("feasible").GetBoolean()));
        var front = root.GetProperty("objectives").GetProperty("front").EnumerateArray().ToList();
        Assert.NotEmpty(front);
        Assert.All(front, m => Assert.True(m.TryGetProperty("params", out _) && m.TryGetProperty("latency:fpga", out _)));
        Assert.Equal(3, root.GetProperty("objectives").GetProperty("reference_point").GetArrayLength());
    }

    [Fact]
    public void A_multi_objective_bench_writes_traces_summary_and_plots_and_resumes()
    {
        using var dir = new TemporaryFolder();
        string[] args = ["bench", "--data", TestData.Folder, "--out", dir.Path, "--dataset", "cifar10", "--objectives", "accuracy,latency:pixel3",
            "--strategies", "random,nsga2", "--runs", "2", "--budget", "60", "--jobs", "1", "--front-at", "30"];
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("Queries to reach 90 / 95 / 99 % of the true hypervolume", stdout);
        Assert.Contains("| nsga2 | 2 |", stdout);
        Assert.True(File.Exists(Path.Combine(dir.Path, "hypervolume-cifar10-accuracy-latency-pixel3.png")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "front-cifar10-accuracy-latency-pixel3.png")));
        Assert.StartsWith("dataset,objectives,constraint,strategy", File.ReadAllText(Path.Combine(dir.Path, "summary.csv")));
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "runs.jsonl"));
        Assert.Equal(4, lines.Length);
        foreach (var line in lines)
        {
            using var run = JsonDocument.Parse(line);
            Assert.Equal("accuracy,latency:pixel3", run.RootElement.GetProperty("objectives").GetString());
            Assert.Equal(60, run.RootElement.GetProperty("hypervolume").GetArrayLength());
            Assert.Equal(60, run.RootElement.GetProperty("indices").GetArrayLength());
        }

        // Rerun: nothing left to do; a single-objective bench in the same folder does not take the runs as its own.
        var again = CliRunner.Run(args);
        Assert.Equal(0, again.Code);
        Assert.Contains("4 runs, 4 already", again.Err);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir.Path, "runs.jsonl")).Length);
        var single = CliRunner.Run(["bench", "--data", TestData.Folder, "--out", dir.Path, "--dataset", "cifar10", "--strategies", "random", "--runs", "1", "--budget", "20", "--jobs", "1"]);
        Assert.Equal(0, single.Code);
        Assert.Contains("1 runs, 0 already", single.Err);
    }
}
