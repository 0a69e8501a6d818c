using WeakNas.Experiments;
using WeakNas.MultiObjective;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;
using WeakNas.Tests.Hardware;

namespace WeakNas.Tests.Strategies;

/// <summary>The strategy contract for the multi-objective strategies on NAS-Bench-201, accuracy against Pixel 3 latency.</summary>
public class MultiObjectiveConformanceTests
{
    private static readonly Lazy<MultiObjectiveProblem> Problem =
        new(() => ObjectiveSet.Parse("accuracy,latency:pixel3").Resolve(HardwareData.Cifar10.SearchAccuracy, HardwareData.Metrics));

    public static TheoryData<string> Names => new(MultiObjectiveStrategyFactory.Names);

    private static ISearchStrategy Create(string name, ulong seed) =>
        MultiObjectiveStrategyFactory.Create(name, NasBench201Space.Instance, NasBench201Setup.Encodings, Problem.Value, seed,
            new WeakNasOptions { Budget = 80, Predictor = new() { HiddenLayers = [32, 32], MaxEpochs = 20 } });

    private static int[] Run(string name, ulong seed, int budget) =>
        SearchRunner.Run(HardwareData.Cifar10, Create(name, seed), budget, seed).Queries.Select(q => q.Index).ToArray();

    [Theory]
    [MemberData(nameof(Names))]
    public void Reproducible_by_seed_and_different_across_seeds(string name)
    {
        var a = Run(name, 11, 70);
        Assert.Equal(70, a.Length);
        Assert.Equal(70, a.Distinct().Count());
        Assert.Equal(a, Run(name, 11, 70));
        Assert.NotEqual(a, Run(name, 12, 70));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Replaying_the_history_rebuilds_the_strategy(string name)
    {
        var original = Create(name, 8);
        var history = new List<int>();
        // 63 told: past NSGA-II's first population and into a generation, and several MO-WeakNAS iterations.
        while (history.Count < 63)
        {
            foreach (int i in original.Ask(63 - history.Count))
            {
                original.Tell(i, HardwareData.Cifar10.SearchAccuracy(i));
                history.Add(i);
            }
        }
        var rebuilt = Create(name, 8);
        foreach (int i in history) rebuilt.Tell(i, HardwareData.Cifar10.SearchAccuracy(i));
        Assert.Equal(original.Ask(10), rebuilt.Ask(10));
    }

    [Fact]
    public void Nsga2_children_are_one_mutation_from_a_population_member()
    {
        var space = NasBench201Space.Instance;
        var strategy = new Nsga2<NasBench201Cell>(space, Problem.Value, 3, population: 20, offspring: 5);
        foreach (int i in strategy.Ask(100)) strategy.Tell(i, HardwareData.Cifar10.SearchAccuracy(i));
        for (int generation = 0; generation < 6; generation++)
        {
            var population = strategy.Population.Select(i => space[i]).ToArray();
            var children = strategy.Ask(100);
            Assert.Equal(5, children.Count);
            foreach (int child in children)
            {
                Assert.Contains(population, p => Enumerable.Range(0, NasBench201Cell.EdgeCount).Count(e => p[e] != space[child][e]) == 1);
                strategy.Tell(child, HardwareData.Cifar10.SearchAccuracy(child));
            }
        }
    }
}
