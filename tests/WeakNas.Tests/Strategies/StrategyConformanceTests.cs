using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Predictors;
using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Tests.Strategies;

/// <summary>The contract every strategy keeps, run over every implementation.</summary>
public class StrategyConformanceTests
{
    private static readonly Lazy<NasBench201Benchmark> Cifar10 = new(() => NasBench201Benchmark.Load(TestData.Folder, "cifar10"));
    private static readonly Lazy<float[]> OneHot = new(() => SearchSpaceExtensions.EncodeAll(NasBench201Space.Instance));
    private static readonly Lazy<float[]> Paths = new(() => NasBench201PathEncoding.EncodeAll(NasBench201Space.Instance));

    public static TheoryData<string> Names => new() { "weaknas", "weaknas-ei", "random", "evolution", "local", "bananas" };

    internal static ISearchStrategy Create(string name, ulong seed, int budget)
    {
        var space = NasBench201Space.Instance;
        var small = new MlpRegressorOptions { HiddenLayers = [32, 32], MaxEpochs = 20 };
        return name switch
        {
            "weaknas" => new WeakNasStrategy(OneHot.Value, space.EncodingLength, new WeakNasOptions { Budget = budget, Predictor = small }, seed),
            "weaknas-ei" => new WeakNasStrategy(OneHot.Value, space.EncodingLength,
                new WeakNasOptions { Budget = budget, Predictor = small, Sampling = WeakNasSampling.ExpectedImprovement, EnsembleSize = 3 }, seed),
            "random" => new RandomSearch(space.Count, seed),
            "evolution" => new RegularizedEvolution<NasBench201Cell>(space, seed),
            "local" => new LocalSearch<NasBench201Cell>(space, seed),
            "bananas" => new Bananas<NasBench201Cell>(space, Paths.Value, NasBench201PathEncoding.Length,
                new BananasOptions { Predictor = new BananasOptions().Predictor with { MaxEpochs = 20 } }, seed),
            _ => throw new ArgumentException(name),
        };
    }

    private static int[] Run(string name, ulong seed, int budget) =>
        SearchRunner.Run(Cifar10.Value, Create(name, seed, budget), budget, seed).Queries.Select(q => q.Index).ToArray();

    [Theory]
    [MemberData(nameof(Names))]
    public void Reproducible_by_seed_and_different_across_seeds(string name)
    {
        var a = Run(name, 11, 40);
        Assert.Equal(40, a.Length);
        Assert.Equal(a, Run(name, 11, 40));
        Assert.NotEqual(a, Run(name, 12, 40));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Never_proposes_an_architecture_it_was_told(string name)
    {
        var strategy = Create(name, 5, 60);
        var told = new HashSet<int>();
        while (told.Count < 60)
        {
            var batch = strategy.Ask(60 - told.Count);
            Assert.NotEmpty(batch);
            Assert.Equal(batch.Count, batch.Distinct().Count());
            foreach (int i in batch)
            {
                Assert.DoesNotContain(i, told);
                told.Add(i);
                strategy.Tell(i, Cifar10.Value.SearchAccuracy(i));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Replaying_the_history_rebuilds_the_strategy(string name)
    {
        var original = Create(name, 8, 60);
        var history = new List<int>();
        while (history.Count < 35)
        {
            foreach (int i in original.Ask(35 - history.Count))
            {
                original.Tell(i, Cifar10.Value.SearchAccuracy(i));
                history.Add(i);
            }
        }
        var rebuilt = Create(name, 8, 60);
        foreach (int i in history) rebuilt.Tell(i, Cifar10.Value.SearchAccuracy(i));
        Assert.Equal(original.Ask(10), rebuilt.Ask(10));
    }

    [Fact]
    public void Evolution_children_are_one_mutation_from_a_population_member()
    {
        var space = NasBench201Space.Instance;
        var strategy = new RegularizedEvolution<NasBench201Cell>(space, 3, population: 10, sampleSize: 3);
        var history = new List<int>();
        for (int q = 0; q < 30; q++)
        {
            int child = strategy.Ask(1)[0];
            if (q >= 10)
            {
                var population = history.Skip(history.Count - 10).Select(i => space[i]).ToArray();
                Assert.Contains(population, p => Differences(p, space[child]) == 1);
            }
            strategy.Tell(child, Cifar10.Value.SearchAccuracy(child));
            history.Add(child);
        }
    }

    [Fact]
    public void Local_search_queries_mostly_one_edit_from_an_earlier_query_and_finds_good_cells()
    {
        var space = NasBench201Space.Instance;
        var strategy = new LocalSearch<NasBench201Cell>(space, 4);
        var accuracy = Cifar10.Value;
        var told = new List<int>();
        for (int q = 0; q < 300; q++)
        {
            int next = strategy.Ask(1)[0];
            strategy.Tell(next, accuracy.SearchAccuracy(next));
            told.Add(next);
        }
        // Apart from starts and restarts, every query is a neighbour of a point queried before.
        int jumps = told.Skip(1).Where((t, i) => !told.Take(i + 1).Any(p => Differences(space[p], space[t]) == 1)).Count();
        Assert.True(jumps < 15, $"{jumps} queries were not neighbours of an earlier one");
        // Local search reaches good cells quickly: the best of 300 queries is in the top 1% of the space.
        double best = told.Max(accuracy.SearchAccuracy);
        int better = Enumerable.Range(0, space.Count).Count(i => accuracy.SearchAccuracy(i) > best);
        Assert.True(better < space.Count / 100, $"{better} cells beat local search's best");
    }

    private static int Differences(NasBench201Cell a, NasBench201Cell b)
    {
        int d = 0;
        for (int e = 0; e < NasBench201Cell.EdgeCount; e++) if (a[e] != b[e]) d++;
        return d;
    }
}
