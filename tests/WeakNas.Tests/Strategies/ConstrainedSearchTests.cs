using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Predictors;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;
using WeakNas.Tests.Hardware;

namespace WeakNas.Tests.Strategies;

public class ConstrainedSearchTests
{
    public static TheoryData<string> Names => new() { "weaknas", "weaknas-ei", "random", "evolution", "local", "bananas" };

    private static readonly WeakNasOptions Small = new()
    {
        Budget = 1000, Predictor = new MlpRegressorOptions { HiddenLayers = [32, 32], MaxEpochs = 20 }, EnsembleSize = 2,
    };

    private static readonly BananasOptions SmallBananas = new() { EnsembleSize = 2, Predictor = new BananasOptions().Predictor with { HiddenLayers = [32, 32], MaxEpochs = 20 } };

    private static SearchResult Run(string strategy, ConstraintSetup setup, int budget, ulong seed, bool stopAtOptimum = false) =>
        Run(strategy, setup, budget, seed, out _, stopAtOptimum);

    private static SearchResult Run(string strategy, ConstraintSetup setup, int budget, ulong seed, out ConstrainedStrategy created, bool stopAtOptimum = false)
    {
        created = (ConstrainedStrategy)StrategyFactory.Create(strategy, NasBench201Space.Instance, NasBench201Setup.Encodings, seed,
            Small with { Budget = budget }, SmallBananas, setup.Start(seed));
        return SearchRunner.Run(HardwareData.Cifar10, created, budget, seed, stopAtOptimum: stopAtOptimum);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void With_the_table_no_strategy_ever_evaluates_an_infeasible_architecture(string name)
    {
        // A quarter of the cells are feasible, and the global optimum is not among them.
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:pixel3<=p25", "params<=0.6"));
        var result = Run(name, setup, 60, 4, out var strategy);
        // The strategy itself respects the constraint: the wrapper's safety net never had to hold a proposal back.
        Assert.Equal(0, strategy.HeldBack);
        Assert.Equal(60, result.Queries.Count);
        Assert.All(result.Queries, q => Assert.True(setup.Feasible.Contains(q.Index) && q.Feasible, $"{name} evaluated infeasible cell {q.Index}"));
        Assert.Equal(0, result.Constraint!.InfeasibleEvaluated);
        Assert.Equal(0, result.Constraint.DeviceQueries);
        Assert.Equal("table", result.Constraint.Mode);
        Assert.Equal(setup.Feasible.Optimum(HardwareData.Cifar10.SearchAccuracy), result.OptimumIndex);
        Assert.NotEqual(HardwareData.Cifar10.OptimumIndex, result.OptimumIndex);
        Assert.Equal(result.Queries.MaxBy(q => q.SearchAccuracy)!.Index, result.Best!.Index);
    }

    [Theory]
    [InlineData("weaknas")]
    [InlineData("random")]
    [InlineData("evolution")]
    [InlineData("local")]
    public void Finds_the_constrained_optimum_of_a_small_feasible_set_within_its_size(string name)
    {
        // The fastest 2% on a GPU at batch 1, and at most 0.4 M parameters: a few hundred cells.
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:1080ti_1<=p2", "params<=0.4"));
        Assert.InRange(setup.Feasible.Count, 100, 400);
        var result = Run(name, setup, setup.Feasible.Count, 2, stopAtOptimum: true);
        Assert.NotNull(result.FoundOptimumAt);
        Assert.Equal(result.OptimumIndex, result.Best!.Index);
        Assert.All(result.Queries, q => Assert.True(q.Feasible));
    }

    [Fact]
    public void An_exhausted_feasible_set_ends_the_search_early()
    {
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:fpga<=p1"));
        var result = Run("random", setup, 1000, 1);
        Assert.Equal(setup.Feasible.Count, result.Queries.Count);
        Assert.Equal(setup.Feasible.Count, result.Queries.Select(q => q.Index).Distinct().Count());
    }

    [Fact]
    public void WeakNas_samples_its_top_n_among_admissible_architectures_only()
    {
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:raspi4<=p30"));
        var run = setup.Start(3);
        var strategy = new WeakNasStrategy(NasBench201Setup.Encodings.Predictor, NasBench201Setup.Encodings.PredictorLength,
            Small with { Budget = 100, TopStart = 20, TopEnd = 20, SamplesPerIteration = 10, Explore = 2 }, 3, admissible: run.Admits);
        for (int round = 0; round < 4; round++)
        {
            var batch = strategy.Ask(10);
            Assert.Equal(10, batch.Count);
            Assert.All(batch, i => Assert.True(setup.Feasible.Contains(i)));
            foreach (int i in batch) strategy.Tell(i, HardwareData.Cifar10.SearchAccuracy(i));
        }
        Assert.Equal(20, strategy.LastIteration!.TopN);
    }

    [Fact]
    public void The_safety_net_holds_back_what_an_unaware_strategy_proposes_outside_the_constraint()
    {
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:eyeriss<=p20"));
        var wrapped = new ConstrainedStrategy(new RandomSearch(NasBench201Space.Instance.Count, 5), setup.Start(5));
        var result = SearchRunner.Run(HardwareData.Cifar10, wrapped, 50, 5);
        Assert.All(result.Queries, q => Assert.True(q.Feasible));
        Assert.True(wrapped.HeldBack > 50, $"{wrapped.HeldBack} held back");
    }

    [Fact]
    public void With_a_runtime_model_device_queries_and_infeasible_evaluations_are_counted()
    {
        var options = new RuntimeModelOptions { Sigmas = 0, CalibrationSamples = 40 };
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:pixel3<=p50"), options);
        Assert.Equal("latency:pixel3<=p50 via model (0 sigma, 40 calibration)", setup.Label);
        var result = Run("random", setup, 120, 6);
        var c = result.Constraint!;
        Assert.Equal(setup.Label, c.Label);
        Assert.Equal(result.Queries.Count(q => !q.Feasible), c.InfeasibleEvaluated);
        Assert.All(result.Queries, q => Assert.Equal(setup.Feasible.Contains(q.Index), q.Feasible));
        // 40 calibration cells, then one measurement per evaluated cell not among them.
        var calibration = new RuntimeModelConstraintRun(setup.Feasible, options, 6);
        Assert.Equal(40, calibration.DeviceQueries);
        Assert.InRange(c.DeviceQueries, 120, 160);
        Assert.True(result.Best!.Feasible);
        Assert.Equal(result.Queries.Select(q => q.Index), Run("random", setup, 120, 6).Queries.Select(q => q.Index));
        // The model is good but not exact on the phone (RMSE about 2 ms at a 10.7 ms bound): with no margin it lets
        // infeasible cells through; a margin of two residual standard errors, or of 20% of the bound, far fewer.
        Assert.InRange(c.InfeasibleEvaluated, 5, 60);
        foreach (var safer in new[] { options with { Sigmas = 2 }, options with { Margin = 0.2 } })
        {
            var result2 = Run("random", new ConstraintSetup(setup.Feasible, safer), 120, 6);
            int fewer = result2.Constraint!.InfeasibleEvaluated;
            Assert.True(fewer < c.InfeasibleEvaluated / 2, $"{fewer} infeasible with {safer.Describe()}, {c.InfeasibleEvaluated} with none");
        }
    }

    [Theory]
    [InlineData("weaknas")]
    [InlineData("evolution")]
    public void An_exact_runtime_model_admits_exactly_the_feasible_cells(string name)
    {
        // The FPGA column is additive, so after calibration the model is exact, its residual error 0, and the default
        // margin of one residual standard error admits exactly the feasible cells.
        var setup = new ConstraintSetup(HardwareData.Resolve("latency:fpga<=p30"), new RuntimeModelOptions { CalibrationSamples = 60 });
        Assert.True(((RuntimeModelConstraintRun)setup.Start(1)).Model("fpga")!.ResidualStandardError < 1e-9);
        var run = (RuntimeModelConstraintRun)setup.Start(1);
        for (int i = 0; i < NasBench201Space.Instance.Count; i += 7) Assert.Equal(setup.Feasible.Contains(i), run.Admits(i));
        var result = Run(name, setup, 40, 1);
        Assert.Equal(0, result.Constraint!.InfeasibleEvaluated);
    }

    [Fact]
    public void Runtime_model_needs_a_latency_constraint_and_a_sane_margin()
    {
        var e = Assert.Throws<InvalidInputException>(() => new ConstraintSetup(HardwareData.Resolve("params<=0.5"), new RuntimeModelOptions()));
        Assert.Contains("--latency-model needs a latency constraint", e.Message);
        var m = Assert.Throws<InvalidInputException>(() => new RuntimeModelOptions { Margin = 1 }.Validate());
        Assert.Contains("--latency-margin must be at least 0 and below 1, got 1", m.Message);
    }
}
