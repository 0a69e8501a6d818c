using WeakNas.Experiments;
using WeakNas.Predictors;
using WeakNas.Spaces;
using WeakNas.Strategies;
using WeakNas.Tests.Fakes;

namespace WeakNas.Tests.Strategies;

public class TinySpaceTests
{
    public static TheoryData<string> Names => new() { "weaknas", "weaknas-ei", "random", "evolution", "local", "bananas" };

    private static ISearchStrategy Create(string name, ToySpace space, ulong seed)
    {
        var encoded = space.EncodeAll();
        var small = new MlpRegressorOptions { HiddenLayers = [8], MaxEpochs = 10 };
        return name switch
        {
            "weaknas" => new WeakNasStrategy(encoded, space.EncodingLength, new WeakNasOptions { Budget = 27, Predictor = small, TopStart = 12, TopEnd = 12 }, seed),
            "weaknas-ei" => new WeakNasStrategy(encoded, space.EncodingLength,
                new WeakNasOptions { Budget = 27, Predictor = small, Sampling = WeakNasSampling.ExpectedImprovement, EnsembleSize = 2 }, seed),
            "random" => new RandomSearch(space.Count, seed),
            "evolution" => new RegularizedEvolution<ToyArch>(space, seed, population: 5, sampleSize: 2),
            "local" => new LocalSearch<ToyArch>(space, seed),
            "bananas" => new Bananas<ToyArch>(space, encoded, space.EncodingLength,
                new BananasOptions { InitialSamples = 5, SamplesPerIteration = 5, Candidates = 10, Predictor = small }, seed),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Exhausts_a_tiny_space_and_finds_its_optimum_within_the_budget(string name)
    {
        var benchmark = new ToyBenchmark(3);
        var space = (ToySpace)benchmark.Space;
        var result = SearchRunner.Run(benchmark, Create(name, space, 1), 27, 1);
        Assert.Equal(27, result.Queries.Count);
        Assert.Equal(27, result.Queries.Select(q => q.Index).Distinct().Count());
        Assert.NotNull(result.FoundOptimumAt);
        Assert.Equal(benchmark.OptimumIndex, result.Best!.Index);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Respects_the_budget(string name)
    {
        var benchmark = new ToyBenchmark(4);
        var result = SearchRunner.Run(benchmark, Create(name, (ToySpace)benchmark.Space, 2), 13, 2);
        Assert.Equal(13, result.Queries.Count);
        Assert.Equal(Enumerable.Range(1, 13), result.Queries.Select(q => q.N));
    }
}
