using WeakNas.Experiments;
using WeakNas.MultiObjective;
using WeakNas.Numerics;
using WeakNas.Predictors;
using WeakNas.Spaces;
using WeakNas.Strategies;
using WeakNas.Tests.Fakes;

namespace WeakNas.Tests.Strategies;

/// <summary>The multi-objective strategies on the 27-architecture toy space: reproducible, within budget, never repeating, exhaustive.</summary>
public class MultiObjectiveStrategyTests
{
    public static TheoryData<string> Names => new() { "weaknas", "random", "nsga2" };

    private static MultiObjectiveProblem Problem(ToyBenchmark benchmark)
    {
        var rng = new Rng(5);
        var latency = Enumerable.Range(0, 27).Select(_ => 1 + rng.NextInt(10) * 0.5).ToArray();
        return new MultiObjectiveProblem(27, benchmark.SearchAccuracy, [("latency:toy", latency)]);
    }

    private static ISearchStrategy Create(string name, ToyBenchmark benchmark, ulong seed)
    {
        var space = (ToySpace)benchmark.Space;
        var problem = Problem(benchmark);
        var small = new MlpRegressorOptions { HiddenLayers = [8], MaxEpochs = 10 };
        return name switch
        {
            "weaknas" => new MultiObjectiveWeakNas(space.EncodeAll(), space.EncodingLength, problem,
                new WeakNasOptions { Budget = 27, InitialSamples = 5, SamplesPerIteration = 4, TopStart = 6, TopEnd = 6, Predictor = small }, seed),
            "random" => new RandomSearch(space.Count, seed, problem.IsAdmissible),
            "nsga2" => new Nsga2<ToyArch>(space, problem, seed, population: 6, offspring: 3),
            _ => throw new ArgumentException(name),
        };
    }

    private static List<int> Trajectory(string name, ulong seed, int budget)
    {
        var benchmark = new ToyBenchmark(3);
        return SearchRunner.Run(benchmark, Create(name, benchmark, seed), budget, seed).Queries.Select(q => q.Index).ToList();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Exhausts_a_tiny_space_without_repeating_and_reaches_the_true_front(string name)
    {
        var benchmark = new ToyBenchmark(3);
        var order = Trajectory(name, 1, 27);
        Assert.Equal(27, order.Count);
        Assert.Equal(27, order.Distinct().Count());
        Assert.Equal(1, Problem(benchmark).HypervolumeRatio(order), 12);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Respects_the_budget(string name)
    {
        var order = Trajectory(name, 2, 13);
        Assert.Equal(13, order.Count);
        Assert.Equal(13, order.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_same_seed_gives_the_same_search_and_another_seed_another(string name)
    {
        Assert.Equal(Trajectory(name, 4, 20), Trajectory(name, 4, 20));
        Assert.NotEqual(Trajectory(name, 4, 20), Trajectory(name, 5, 20));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Proposes_only_admissible_architectures(string name)
    {
        var benchmark = new ToyBenchmark(3);
        var space = (ToySpace)benchmark.Space;
        var full = Problem(benchmark);
        var latency = Enumerable.Range(0, 27).Select(i => full.Cost(0, i)).ToArray();
        var problem = new MultiObjectiveProblem(27, benchmark.SearchAccuracy, [("latency:toy", latency)], i => i % 3 != 0);
        var encodings = new SpaceEncodings(space.EncodeAll, space.EncodingLength, space.EncodeAll, space.EncodingLength);
        var options = new WeakNasOptions { Budget = 18, InitialSamples = 5, SamplesPerIteration = 4, TopStart = 6, TopEnd = 6, Predictor = new() { HiddenLayers = [8], MaxEpochs = 10 } };
        var strategy = MultiObjectiveStrategyFactory.Create(name, space, encodings, problem, 6, options);
        var order = SearchRunner.Run(benchmark, strategy, 27, 6).Queries.Select(q => q.Index).ToList();
        Assert.Equal(18, order.Count);
        Assert.All(order, i => Assert.NotEqual(0, i % 3));
    }

    [Fact]
    public void Nsga2_keeps_the_best_by_rank_and_crowding_after_each_generation()
    {
        var benchmark = new ToyBenchmark(8);
        var problem = Problem(benchmark);
        var nsga = new Nsga2<ToyArch>(benchmark.Space, problem, 3, population: 6, offspring: 3);
        var told = new List<int>();
        for (int generation = 0; generation < 4; generation++)
        {
            var batch = nsga.Ask(100);
            Assert.Equal(generation == 0 ? 6 : 3, batch.Count);
            foreach (int i in batch)
            {
                nsga.Tell(i, benchmark.SearchAccuracy(i));
                told.Add(i);
            }
            var population = nsga.Population;
            Assert.Equal(6, population.Count);
            // Elitism: the non-dominated architectures among everything told survive while they fit in the population.
            var front = problem.FrontOf(told);
            if (front.Length <= 6) Assert.Subset(population.ToHashSet(), front.ToHashSet());
            // Nothing left out dominates a member kept... unless the member's layer was cut by crowding: then the one left
            // out is in the same or a later layer, so it never dominates a member.
            foreach (int kept in population)
                Assert.DoesNotContain(told.Except(population), o => Pareto.Dominates(problem.Point(o, problem.Accuracy(o)), problem.Point(kept, problem.Accuracy(kept))));
        }
    }
}
