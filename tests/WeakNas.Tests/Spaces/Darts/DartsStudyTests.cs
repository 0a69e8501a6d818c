using System.Text.Json;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Spaces.Darts;
using WeakNas.Studies;
using WeakNas.Tests.Cli;

namespace WeakNas.Tests.Spaces.Darts;

/// <summary>The DARTS space searched as users search it: over a table of genotypes, and with a training command.</summary>
public class DartsStudyTests
{
    private static string Table => Path.Combine(TestData.Folder, "darts", "zc_nasbench301_725.json");

    [Theory]
    [InlineData("pool")]
    [InlineData("fresh")]
    public void Search_with_a_training_command_gets_the_genotype_in_every_form_and_finishes(string candidates)
    {
        using var dir = new TemporaryFolder();
        // The "training" counts separable convolutions in the genotype text and reports the CIFAR-10 parameter count beside it.
        string script = Path.Combine(dir.Path, "train.py");
        File.WriteAllText(script, """
            import json, sys
            arch = json.load(open(sys.argv[1]))
            assert arch["genotype"] == arch["arch"] and arch["genotype"].startswith("Genotype(normal=[(")
            assert len(arch["normal"]) == 8 and len(arch["reduce"]) == 8 and arch["config"]
            assert arch["metric"] == "score"
            print(json.dumps({"score": arch["genotype"].count("sep_conv"), "params": arch["params"]["cifar10"], "compact": arch["compact"]}))
            """);
        string db = Path.Combine(dir.Path, "d.db");
        var run = CliRunner.Run("search", "--space", "darts", "--evaluate", $"python3 {script} {{arch_json_file}}", "--candidates", candidates, "--budget", "14", "--metric", "score",
            "--hidden", "16,16", "--epochs", "5", "--storage", $"sqlite:///{db}");
        Assert.True(run.Code == 0, run.Err);
        using var storage = StudyStorage.Open($"sqlite:///{db}");
        var trials = storage.Trials("search-darts-weaknas-seed0");
        Assert.Equal(14, trials.Count(t => t.State == TrialState.Complete));
        // The study maximises the command's "score" (--metric): each trial's value is its count of separable convolutions.
        Assert.All(trials, t => Assert.Equal(DartsFormats.Genotype(DartsSpace.Instance.Parse(t.Arch)).Split("sep_conv").Length - 1, t.Value));
        Assert.Equal(14, trials.Select(t => DartsSpace.Instance.CanonicalKey(DartsSpace.Instance.Parse(t.Arch))).Distinct().Count());
        foreach (var t in trials)
        {
            var g = DartsSpace.Instance.Parse(t.Arch);
            var metrics = JsonDocument.Parse(t.Metrics!).RootElement;
            Assert.Equal(DartsParameters.Count(g, DartsParameters.Network.Cifar10), metrics.GetProperty("params").GetInt64());
            Assert.Equal(DartsFormats.Compact(g), metrics.GetProperty("compact").GetString());
            Assert.Equal(candidates == "pool", t.ArchIndex != null);
        }
    }

    [Fact]
    public void Darts_searches_need_a_table_or_a_command()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "darts", "--budget", "10"), "darts has no built-in table");
        CliRunner.AssertOneLineError(CliRunner.Run("bench", "--space", "darts", "--out", "x"), "darts has no built-in table");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "darts", "--evaluate", "true", "--pool", "10", "--candidates", "fresh"), "--pool and --pool-seed describe a pool");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "darts", "--evaluate", "true", "--report-metric", "x"), "--report-metric applies to a table (--table FILE), not to darts trained by --evaluate");
    }

    [SharedDataFact]
    public void Weaknas_finds_the_725_tables_best_genotype_in_fewer_queries_than_random_search_over_30_seeds()
    {
        var benchmark = DartsSetup.Load(DartsProvider.Instance, Table, "val_accuracy", null);
        Assert.Equal(725, benchmark.Space.Count);
        var encodings = DartsSetup.Encodings(benchmark);
        double Mean(string strategy) => Enumerable.Range(0, 30).Average(seed =>
        {
            var chosen = StrategyFactory.Create(strategy, benchmark.Space, encodings, (ulong)seed,
                new WeakNas.Strategies.WeakNasOptions { Predictor = new WeakNas.Predictors.MlpRegressorOptions { HiddenLayers = [32, 32], MaxEpochs = 60 } });
            var result = SearchRunner.Run(benchmark, chosen, 725, (ulong)seed, NoiseMode.Mean, stopAtOptimum: true);
            return (double)result.FoundOptimumAt!.Value;
        });
        double weaknas = Mean("weaknas"), random = Mean("random");
        Assert.True(weaknas < random, $"WeakNAS needed {weaknas:F1} queries on average, random search {random:F1}");
    }

    [SharedDataFact]
    public void The_725_table_searches_from_the_command_line_under_a_parameter_constraint()
    {
        var run = CliRunner.Run("search", "--space", "darts", "--table", Table, "--metric", "val_accuracy", "--budget", "100", "--no-progress", "--constraint", "params<=3");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("725 architectures of darts", run.Err, StringComparison.Ordinal);
        // Every genotype the search reports as feasible has at most 3 M parameters in DARTS's CIFAR-10 network.
        var benchmark = DartsSetup.Load(DartsProvider.Instance, Table, "val_accuracy", null);
        var feasible = Enumerable.Range(0, 725).Where(i => DartsParameters.Count(benchmark.Space[i], DartsParameters.Network.Cifar10) <= 3_000_000).ToList();
        Assert.Contains($"{feasible.Count:N0} feasible architectures", run.Out, StringComparison.Ordinal);
        int best = feasible.MaxBy(benchmark.SearchAccuracy);
        Assert.Contains($"constrained optimum: index {best},", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pool")]
    [InlineData("fresh")]
    public void A_parameter_constraint_keeps_every_proposed_genotype_under_its_bound(string candidates)
    {
        using var dir = new TemporaryFolder();
        string url = $"sqlite:///{dir.Path}/c.db";
        // Random search proposes from the feasible part only: under 2.5 M parameters (DARTS_V2 has 3.35 M).
        string[] args = ["study", "create", "small", "--storage", url, "--space", "darts", "--candidates", candidates, "--strategy", "random", "--budget", "20", "--constraint", "params<=2.5"];
        var created = CliRunner.Run(candidates == "pool" ? [.. args, "--pool", "200"] : args);
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains("constraint: params<=2.5", created.Out, StringComparison.Ordinal);
        var asked = CliRunner.Run("study", "ask", "small", "--storage", url, "--count", "20");
        Assert.True(asked.Code == 0, asked.Err);
        using var storage = StudyStorage.Open(url);
        var trials = storage.Trials("small");
        Assert.Equal(20, trials.Count);
        Assert.All(trials, t => Assert.True(DartsParameters.Count(DartsSpace.Instance.Parse(t.Arch), DartsParameters.Network.Cifar10) <= 2_500_000, t.Arch));
        // Unconstrained, the same draws would hold heavier networks: the bound is doing the work.
        var rng = new WeakNas.Numerics.Rng(1);
        Assert.Contains(Enumerable.Range(0, 20).Select(_ => DartsSpace.Instance.Sample(rng)), g => DartsParameters.Count(g, DartsParameters.Network.Cifar10) > 2_500_000);
    }

    [Fact]
    public void Darts_constraints_are_params_bounds_in_millions()
    {
        using var dir = new TemporaryFolder();
        string url = $"sqlite:///{dir.Path}/c.db";
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "a", "--storage", url, "--space", "darts", "--constraint", "latency:pixel3<=5"),
            "--constraint latency:pixel3<=5: a darts space constrains params only");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "a", "--storage", url, "--space", "darts", "--constraint", "params<=p25"),
            "give darts an absolute bound in millions");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "darts", "--evaluate", "true", "--storage", url, "--constraint", "params<=0.001", "--budget", "12", "--strategy", "random"),
            "satisfies params<=0.001");
    }
}
