using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Numerics;
using WeakNas.Predictors.Gbdt;
using WeakNas.Spaces;
using WeakNas.Spaces.MobileNetV3;
using WeakNas.Strategies;
using WeakNas.Tests.Cli;

namespace WeakNas.Tests.Spaces.MobileNetV3;

public class OfaSearchTests
{
    private static readonly Lazy<OfaAccuracyPredictor> Predictor = new(() => OfaAccuracyPredictor.Load(BenchmarkData.Embedded));

    private static OfaSearch Search(int pool = 300, ulong poolSeed = 0, ConstraintSet? constraints = null) =>
        new(new OfaSearchSettings { PoolSize = pool, PoolSeed = poolSeed, Constraints = constraints ?? OfaSearchSettings.PaperWindow }, Predictor.Value);

    // Small and quick: the paper's procedure in miniature.
    private static readonly WeakNasOptions Small = new()
    {
        InitialSamples = 20, SamplesPerIteration = 10, TopStart = 50, TopEnd = 50, Explore = 0, Budget = 60,
        Regressor = new GbdtRegressorOptions { Trees = 50, MaxDepth = 6, MaxLeaves = 32 },
    };

    [Fact]
    public void The_pool_is_the_papers_uniform_subnets_in_the_flops_window_the_same_for_a_seed()
    {
        var a = Search(poolSeed: 3).Pool;
        var b = Search(poolSeed: 3).Pool;
        var c = Search(poolSeed: 4).Pool;
        Assert.Equal(300, a.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => a.Format(a[i])), Enumerable.Range(0, 300).Select(i => b.Format(b[i])));
        Assert.NotEqual(a.Format(a[0]), c.Format(c[0]));
        Assert.Equal(300, Enumerable.Range(0, 300).Select(i => a.CanonicalKey(a[i])).Distinct().Count());
        for (int i = 0; i < a.Count; i++)
        {
            double flops = OfaMetrics.MegaFlops(a[i], 1.2);
            Assert.InRange(flops, 550, 600);
            Assert.Equal(236, a[i].Resolution);
        }
        // Uniform sampling with every depth: all three depths appear in every stage.
        for (int s = 0; s < OfaSubnet.Stages; s++)
            Assert.Equal([2, 3, 4], Enumerable.Range(0, a.Count).Select(i => a[i].Depth(s)).Distinct().Order());
    }

    [Fact]
    public void The_pool_benchmark_knows_its_optimum_by_prediction()
    {
        var ofa = Search();
        var pool = ofa.PoolBenchmark;
        int best = Enumerable.Range(0, pool.Space.Count).MaxBy(pool.SearchAccuracy);
        Assert.Equal(best, pool.OptimumIndex);
        Assert.Equal(ofa.Accuracy(pool.Space[best]), pool.SearchAccuracy(best));
        Assert.InRange(pool.SearchAccuracy(best), 80, 85);
    }

    [Fact]
    public void A_pool_mutation_is_a_space_mutation_snapped_to_the_nearest_other_member()
    {
        var ofa = Search();
        var pool = ofa.Pool;
        float Distance(OfaSubnet x, OfaSubnet y)
        {
            var a = new float[pool.EncodingLength];
            var b = new float[pool.EncodingLength];
            pool.Encode(x, a);
            pool.Encode(y, b);
            return a.Zip(b).Sum(p => Math.Abs(p.First - p.Second));
        }
        for (int i = 0; i < 10; i++)
        {
            var arch = pool[i];
            // The same stream gives the space's mutant: the pool's answer is a member nearest it.
            var mutant = ofa.Searched.Mutate(arch, new Rng((ulong)i));
            var snapped = pool.Mutate(arch, new Rng((ulong)i));
            Assert.True(pool.Contains(snapped));
            Assert.NotEqual(pool.CanonicalKey(arch), pool.CanonicalKey(snapped));
            float nearest = Enumerable.Range(0, pool.Count).Where(j => j != i).Min(j => Distance(mutant, pool[j]));
            Assert.Equal(nearest, Distance(mutant, snapped));
            var neighbours = pool.Neighbours(arch);
            Assert.NotEmpty(neighbours);
            Assert.All(neighbours, n => Assert.NotEqual(pool.CanonicalKey(arch), pool.CanonicalKey(n)));
            Assert.Equal(neighbours.Count, neighbours.Select(pool.CanonicalKey).Distinct().Count());
        }
    }

    [Fact]
    public void The_constrained_space_samples_and_mutates_only_feasible_subnets()
    {
        var ofa = Search(constraints: ConstraintSet.Parse(["flops<=400", "params<=7.5"]));
        var space = ofa.Searched;
        var rng = new Rng(2);
        for (int i = 0; i < 50; i++)
        {
            var arch = space.Sample(rng);
            var mutant = space.Mutate(arch, rng);
            foreach (var x in new[] { arch, mutant })
            {
                Assert.True(ofa.Metric(x, "flops") <= 400);
                Assert.True(ofa.Metric(x, "params") <= 7.5);
            }
            Assert.All(space.Neighbours(arch), n => Assert.True(ofa.Metric(n, "flops") <= 400));
        }
        var none = Search(constraints: ConstraintSet.Parse(["flops<=100"]));
        var error = Assert.Throws<InvalidInputException>(() => none.Searched.Sample(new Rng(1)));
        Assert.Contains("satisfies flops<=100", error.Message);
    }

    [Theory]
    [InlineData("weaknas")]
    [InlineData("random")]
    [InlineData("evolution")]
    [InlineData("local")]
    [InlineData("bananas")]
    public void Every_strategy_searches_the_pool_and_the_open_window_reproducibly(string strategy)
    {
        var ofa = Search();
        foreach (string dataset in new[] { OfaMobileNetV3Provider.PoolDataset, OfaMobileNetV3Provider.OpenDataset })
        {
            var first = Run();
            var again = Run();
            Assert.Equal(60, first.Queries.Count);
            Assert.Equal(first.Queries.Select(q => q.Arch), again.Queries.Select(q => q.Arch));
            Assert.Equal(60, first.Queries.Select(q => ofa.Space.CanonicalKey(ofa.Space.Parse(q.Arch))).Distinct().Count());
            foreach (var q in first.Queries)
            {
                var subnet = ofa.Space.Parse(q.Arch);
                Assert.InRange(ofa.Metric(subnet, "flops"), 550, 600);
                Assert.Equal(ofa.Accuracy(subnet), q.SearchAccuracy);
                if (dataset == OfaMobileNetV3Provider.PoolDataset) Assert.True(ofa.Pool.Contains(subnet));
            }
            Assert.Equal(ofa.PoolBenchmark.SearchAccuracy(ofa.PoolBenchmark.OptimumIndex), first.OptimumSearchAccuracy);

            SearchResult Run() => WeakNas.Cli.OfaSearchCli.Run(ofa, dataset, strategy, 1, Small, 60, stopAtOptimum: false);
        }
    }

    [Fact]
    public void In_the_pool_weaknas_finds_better_subnets_than_random_search_in_the_same_budget()
    {
        var ofa = Search(pool: 1000);
        double Best(string strategy, ulong seed) => WeakNas.Cli.OfaSearchCli.Run(ofa, "pool", strategy, seed, Small with { Budget = 100 }, 100, false).Best!.SearchAccuracy;
        double weak = Enumerable.Range(0, 3).Average(s => Best("weaknas", (ulong)s));
        double random = Enumerable.Range(0, 3).Average(s => Best("random", (ulong)s));
        Assert.True(weak > random, $"weaknas {weak:F3}, random {random:F3}");
    }

    [Fact]
    public void The_search_command_runs_the_pool_and_reports_its_optimum()
    {
        using var dir = new TemporaryFolder();
        string json = Path.Combine(dir.Path, "r.json");
        var (code, stdout, stderr) = CliRunner.Run("search", "--space", "ofa-mbv3", "--pool", "200", "--budget", "40", "--initial", "20", "--per-iteration", "10",
            "--top", "50", "--predictor", "gbdt", "--trees", "30", "--tree-depth", "5", "--no-progress", "--out", json);
        Assert.True(code == 0, stderr);
        Assert.Contains("weaknas on ofa-mbv3/pool (w1.2, r 236, flops>=550 & flops<=600), seed 0: 40 queries", stdout);
        Assert.Contains("pool optimum (200 subnets, pool seed 0): index ", stdout);
        Assert.Contains("\"found_optimum_at\"", File.ReadAllText(json));
        var open = CliRunner.Run("search", "--space", "ofa-mbv3", "--dataset", "open", "--pool", "200", "--budget", "30", "--strategy", "random", "--no-progress", "--out", json);
        Assert.True(open.Code == 0, open.Err);
        Assert.Contains("pool optimum, for reference: predicted top-1 ", open.Out);
        Assert.Contains("\"reached_target_at\"", File.ReadAllText(json));
        Assert.Contains("\"optimum\":null", File.ReadAllText(json).Replace(" ", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--width 1.1", "--width must be 1.0 or 1.2 (the released supernets), got 1.1")]
    [InlineData("--resolution 300", "--resolution must be between 112 and 239")]
    [InlineData("--constraint flops<=p50", "--constraint 'flops<=p50': a percentile needs a listed table")]
    [InlineData("--constraint latency:pixel3<=5", "unknown device 'pixel3' for ofa-mbv3; devices: i7-8700k, note10 (lookup tables), 2080ti_1, 2080ti_32,")]
    [InlineData("--dataset cifar10", "unknown dataset 'cifar10' for ofa-mbv3; expected one of pool, open")]
    [InlineData("--pool 1", "--pool must be between 2 and 1000000 subnets, got 1")]
    [InlineData("--budget 500 --pool 300", "--budget 500 exceeds the 300 subnets of the pool")]
    [InlineData("--predictor xgb", "--predictor 'xgb' is not a predictor; expected mlp or gbdt")]
    [InlineData("--predictor gbdt --trees 0", "--trees must be between 1 and 100000, got 0")]
    [InlineData("--predictor mlp --tree-depth 3", "--tree-depth sets the GBDT predictor; add --predictor gbdt")]
    [InlineData("--noise seed", "--noise does not apply to ofa-mbv3")]
    [InlineData("--paper --hidden 64,64", "--hidden sets the MLP predictor, and this space's --paper setting uses gbdt: add --predictor mlp")]
    public void Bad_options_are_one_line_errors(string options, string expected)
    {
        CliRunner.AssertOneLineError(CliRunner.Run(["search", "--space", "ofa-mbv3", "--no-progress", .. options.Split(' ')]), expected);
    }

    [Fact]
    public void The_space_options_are_refused_elsewhere()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "nb201", "--width", "1.0"), "--width applies to --space ofa-mbv3 only, not nb201");
    }

    [Fact]
    public void The_evaluator_json_carries_what_a_once_for_all_script_needs()
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        OfaMobileNetV3Provider.Instance.Describe("{\"ks\":[5,3,3,3,5,5,5,3,7,5,7,5,3,5,5,3,7,5,3,5],\"e\":[3,3,4,3,4,6,4,4,4,6,6,6,6,6,6,4,6,6,6,3],\"d\":[4,3,3,3,4],\"r\":[236]}", json);
        Assert.Equal(236, (int)json["r"]!);
        Assert.Equal(20, json["ks"]!.AsArray().Count);
        var stages = json["stages"]!.AsArray();
        Assert.Equal([4, 3, 3, 3, 4], stages.Select(s => (int)s!["depth"]!));
        Assert.Equal(5, (int)stages[1]!["blocks"]![0]!["kernel_size"]!);
        Assert.Equal(4, (int)stages[1]!["blocks"]![2]!["expand_ratio"]!);
        Assert.Equal("{\"ks\":[5,3,3,3,5,5,5,3,7,5,7,5,3,5,5,3,7,5,3,5],\"e\":[3,3,4,3,4,6,4,4,4,6,6,6,6,6,6,4,6,6,6,3],\"d\":[4,3,3,3,4],\"r\":236}",
            OfaMobileNetV3Provider.Instance.Normalize("{\"ks\":[5,3,3,3,5,5,5,3,7,5,7,5,3,5,5,3,7,5,3,5],\"e\":[3,3,4,3,4,6,4,4,4,6,6,6,6,6,6,4,6,6,6,3],\"d\":[4,3,3,3,4],\"r\":[236]}"));
    }

    [SharedDataFact]
    public void A_latency_constrained_search_proposes_only_subnets_within_the_bound()
    {
        var data = BenchmarkData.FromFolder(TestData.Shared!);
        var settings = new OfaSearchSettings { PoolSize = 100, Resolution = 224, Constraints = ConstraintSet.Parse(["latency:note10<=30", "flops>=300"]) };
        var ofa = OfaSearch.Load(settings, data);
        var result = WeakNas.Cli.OfaSearchCli.Run(ofa, "open", "weaknas", 2, Small with { Budget = 40 }, 40, false);
        var table = OfaLatencyTable.Load(data, "note10");
        Assert.All(result.Queries, q =>
        {
            var subnet = ofa.Space.Parse(q.Arch);
            Assert.True(table.Latency(subnet, 1.2) <= 30);
            Assert.True(OfaMetrics.MegaFlops(subnet, 1.2) >= 300);
        });
        // A GPU of HELP's: its latency from the per-block model fitted on its measurements.
        var gpu = OfaSearch.Load(settings with { Constraints = ConstraintSet.Parse(["latency:titan_rtx_64<=40"]) }, data);
        var sample = gpu.Searched.Sample(new Rng(1));
        Assert.True(gpu.Metric(sample, "latency:titan_rtx_64") <= 40);
    }

    [SharedDataFact]
    public void The_latency_model_command_scores_helps_devices()
    {
        var (code, stdout, stderr) = CliRunner.Run("latency-model", "--space", "ofa-mbv3", "--device", "v100_64,titan_rtx_1", "--data", TestData.Shared!);
        Assert.True(code == 0, stderr);
        Assert.Contains("fitted on 4,000 of HELP's 5,000 measured subnets (seed 0), scored on the other 1,000", stdout);
        Assert.Contains("| v100_64 | ", stdout);
        Assert.Contains("| titan_rtx_1 | ", stdout);
        Assert.DoesNotContain("| 2080ti_1 | ", stdout);
        CliRunner.AssertOneLineError(CliRunner.Run("latency-model", "--space", "ofa-mbv3", "--device", "tpu", "--data", TestData.Shared!), "unknown device 'tpu'");
    }

    [Theory]
    [InlineData("pool")]
    [InlineData("fresh")]
    public void A_users_once_for_all_script_evaluates_the_subnets_of_a_resumable_search(string candidates)
    {
        using var dir = new TemporaryFolder();
        // The "evaluation" counts the active blocks with 7x7 kernels in the file's stage list; it keeps the file for a look.
        string script = Path.Combine(dir.Path, "eval.sh");
        File.WriteAllText(script, $"#!/bin/sh\ncp \"$1\" {dir.Path}/last.json\nn=$(grep -c '\"kernel_size\": 7' \"$1\")\necho \"{{\\\"accuracy\\\": $n}}\"\n");
        string db = Path.Combine(dir.Path, "ofa.db");
        string[] args = ["search", "--space", "ofa-mbv3", "--evaluate", $"sh {script} {{arch_json_file}}", "--candidates", candidates, "--budget", "12",
            "--strategy", "evolution", "--storage", $"sqlite:///{db}", .. candidates == "pool" ? new[] { "--pool", "100" } : []];
        var run = CliRunner.Run(args);
        Assert.True(run.Code == 0, run.Err);
        using (var storage = WeakNas.Studies.StudyStorage.Open($"sqlite:///{db}"))
        {
            var trials = storage.Trials("search-ofa-mbv3-evolution-seed0");
            Assert.Equal(12, trials.Count(t => t.State == WeakNas.Studies.TrialState.Complete));
            var space = new OfaMobileNetV3Space(1.2, [236]);
            foreach (var t in trials)
            {
                var subnet = space.Parse(t.Arch);
                Assert.Equal(Enumerable.Range(0, OfaSubnet.Slots).Count(i => subnet.IsActive(i) && subnet.KernelSize(i) == 7), t.Value);
                Assert.InRange(OfaMetrics.MegaFlops(subnet, 1.2), 550, 600);
                Assert.Equal(candidates == "pool", t.ArchIndex != null);
            }
            string last = File.ReadAllText(Path.Combine(dir.Path, "last.json"));
            foreach (string key in new[] { "\"ks\"", "\"e\"", "\"d\"", "\"r\": 236", "\"stages\"", "\"expand_ratio\"" }) Assert.Contains(key, last);
        }
        // The same command again: nothing left to do, nothing evaluated twice.
        var again = CliRunner.Run(args);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("0 evaluated now", again.Out);
    }

    [Fact]
    public void A_multi_objective_search_trades_predicted_accuracy_against_flops_in_the_pool()
    {
        using var dir = new TemporaryFolder();
        string json = Path.Combine(dir.Path, "mo.json");
        var (code, stdout, stderr) = CliRunner.Run("search", "--space", "ofa-mbv3", "--objectives", "accuracy,flops", "--constraint", "flops<=800", "--pool", "300",
            "--budget", "60", "--strategy", "random", "--no-progress", "--out", json);
        Assert.True(code == 0, stderr);
        Assert.Contains("objectives accuracy,flops: true front ", stdout);
        Assert.Contains("found front: ", stdout);
        Assert.Contains("hypervolume ratio", File.ReadAllText(json).Replace("_", " ", StringComparison.Ordinal));
        // Every member of the found front is evaluated and none dominates another.
        var front = stdout.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("query", StringComparison.Ordinal)).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => (Acc: double.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), Flops: double.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.NotEmpty(front);
        foreach (var a in front)
            Assert.DoesNotContain(front, b => b != a && b.Acc >= a.Acc && b.Flops <= a.Flops);
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "ofa-mbv3", "--objectives", "accuracy,flops", "--dataset", "open"), "--objectives in ofa-mbv3 search the pool");
    }

    [Fact]
    public void A_study_keeps_the_width_resolution_and_constraints_it_was_created_with()
    {
        using var dir = new TemporaryFolder();
        string url = $"sqlite:///{Path.Combine(dir.Path, "s.db")}";
        var created = CliRunner.Run("study", "create", "small", "--space", "ofa-mbv3", "--candidates", "fresh", "--constraint", "flops<=300", "--width", "1.0",
            "--resolution", "224", "--strategy", "random", "--budget", "5", "--storage", url);
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains("ofa-mbv3 w1.0, r 224, flops<=300, fresh candidates", created.Out);
        var asked = CliRunner.Run("study", "ask", "small", "--count", "3", "--storage", url);
        Assert.True(asked.Code == 0, asked.Err);
        var lines = asked.Out.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        foreach (string line in lines)
        {
            var arch = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("arch").GetString()!;
            var subnet = new OfaMobileNetV3Space(1.0, [224]).Parse(arch);
            Assert.True(OfaMetrics.MegaFlops(subnet, 1.0) <= 300);
        }
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "bad", "--space", "ofa-mbv3", "--constraint", "latency:note10<=20", "--storage", url),
            "an ofa-mbv3 study bounds flops and params");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "bad", "--space", "nb201", "--width", "1.0", "--storage", url), "--width applies to --space ofa-mbv3 only");
    }
}
