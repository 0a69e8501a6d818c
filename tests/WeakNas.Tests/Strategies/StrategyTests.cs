using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Predictors;
using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Tests.Strategies;

public class StrategyTests
{
    private static readonly Lazy<NasBench201Benchmark> Cifar10 = new(() => NasBench201Benchmark.Load(TestData.Folder, "cifar10"));

    // A reduced predictor keeps the suite fast; the paper's 4×1000 MLP is exercised by the CLI runs in docs/.
    internal static WeakNasOptions SmallWeakNas(int budget) => new()
    {
        Budget = budget,
        Predictor = new MlpRegressorOptions { HiddenLayers = [64, 64], MaxEpochs = 30 },
    };

    private static ISearchStrategy Create(string name, ulong seed, int budget) =>
        StrategyFactory.Create(name, NasBench201Space.Instance, NasBench201Setup.Encodings, seed, SmallWeakNas(budget));
    [Theory]
    [InlineData("weaknas")]
    [InlineData("random")]
    public void Same_seed_same_queries_different_seed_different_queries(string strategy)
    {
        int[] Run(ulong seed) => SearchRunner.Run(Cifar10.Value, Create(strategy, seed, 60), 60, seed).Queries.Select(q => q.Index).ToArray();
        var a = Run(1);
        Assert.Equal(60, a.Length);
        Assert.Equal(60, a.Distinct().Count());
        Assert.Equal(a, Run(1));
        Assert.NotEqual(a, Run(2));
    }

    [Fact]
    public void WeakNas_history_replay_gives_the_same_next_batch()
    {
        var first = Create("weaknas", 3, 100);
        var told = new List<(int, double)>();
        for (int round = 0; round < 3; round++)
        {
            foreach (int i in first.Ask(10))
            {
                first.Tell(i, Cifar10.Value.SearchAccuracy(i));
                told.Add((i, Cifar10.Value.SearchAccuracy(i)));
            }
        }
        var replayed = Create("weaknas", 3, 100);
        foreach (var (i, acc) in told) replayed.Tell(i, acc);
        Assert.Equal(first.Ask(10), replayed.Ask(10));
    }

    [Fact]
    public void WeakNas_samples_from_the_predicted_top_n()
    {
        var options = SmallWeakNas(100) with { TopStart = 20, TopEnd = 20, SamplesPerIteration = 10, Explore = 0 };
        var strategy = new WeakNasStrategy(NasBench201Setup.Encodings.Predictor, NasBench201Setup.Encodings.PredictorLength, options, 5);
        foreach (int i in strategy.Ask(10)) strategy.Tell(i, Cifar10.Value.SearchAccuracy(i));
        var batch = strategy.Ask(10);
        Assert.Equal(10, batch.Count);
        Assert.Equal(20, strategy.LastIteration!.TopN);
        Assert.Equal(0, strategy.LastIteration.Iteration);
        Assert.Equal(10, strategy.LastIteration.TrainingSamples);
    }

    [Fact]
    public void Top_n_schedule_decays_from_start_to_end_like_the_reference()
    {
        var options = WeakNasOptions.Paper with { Budget = 1000, TopStart = 1000, TopEnd = 100, TopDecay = 0.96 };
        Assert.Equal(99, options.Iterations);
        Assert.Equal(1000, options.TopN(0));
        Assert.Equal(100, options.TopN(99));
        // numpy over linspace(0, 99, 100): int((0.96**z - 0.96**99) / (1 - 0.96**99) * 900 + 100)
        Assert.Equal(Reference(49), options.TopN(49));
        Assert.True(options.TopN(10) > options.TopN(20));

        static int Reference(int z)
        {
            double x = z, lo = Math.Pow(0.96, 99);
            return (int)((Math.Pow(0.96, x) - lo) / (1 - lo) * 900 + 100);
        }
    }

    [Fact]
    public void Random_search_never_repeats_and_exhausts_the_space()
    {
        var strategy = new RandomSearch(50, 1);
        var seen = new HashSet<int>();
        while (true)
        {
            var batch = strategy.Ask(7);
            if (batch.Count == 0) break;
            foreach (int i in batch)
            {
                Assert.True(seen.Add(i));
                strategy.Tell(i, 0);
            }
        }
        Assert.Equal(50, seen.Count);
    }

    [Fact]
    public void WeakNas_needs_fewer_queries_than_random_search_to_reach_the_cifar10_optimum()
    {
        var benchmark = Cifar10.Value;
        const int Budget = 600;
        double weakNas = 0, random = 0;
        ulong[] seeds = [0, 1, 2, 3, 4];
        foreach (ulong seed in seeds)
        {
            var w = SearchRunner.Run(benchmark, Create("weaknas", seed, Budget), Budget, seed, stopAtOptimum: true);
            // Not reaching the optimum counts as the whole budget: a penalty that can only favour random search.
            weakNas += w.FoundOptimumAt ?? Budget;
            var r = SearchRunner.Run(benchmark, Create("random", seed, 15625), 15625, seed, stopAtOptimum: true);
            random += r.FoundOptimumAt!.Value;
        }
        weakNas /= seeds.Length;
        random /= seeds.Length;
        Assert.True(weakNas < random, $"WeakNAS mean {weakNas:F0} queries vs random {random:F0}");
        Assert.True(weakNas < 400, $"WeakNAS mean {weakNas:F0} queries to the optimum");
    }
}
