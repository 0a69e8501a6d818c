using WeakNas.Spaces;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>Builds a strategy by its command-line name over any enumerable space.</summary>
public static class StrategyFactory
{
    public static IReadOnlyList<string> Names { get; } = ["weaknas", "weaknas-ei", "random", "evolution", "local", "bananas"];

    public static void CheckName(string name)
    {
        if (!Names.Contains(name))
            throw new InvalidInputException($"unknown strategy '{name}'; expected one of {string.Join(", ", Names)}");
    }

    /// <param name="weakNas">WeakNAS settings (also used by weaknas-ei, with expected-improvement sampling).</param>
    public static ISearchStrategy Create<TArch>(
        string name, IEnumerableSearchSpace<TArch> space, SpaceEncodings encodings, ulong seed, WeakNasOptions weakNas, BananasOptions? bananas = null)
        where TArch : notnull, IEquatable<TArch>
    {
        CheckName(name);
        return name switch
        {
            "weaknas" => new WeakNasStrategy(encodings.Predictor, encodings.PredictorLength, weakNas with { Sampling = WeakNasSampling.Uniform }, seed),
            "weaknas-ei" => new WeakNasStrategy(encodings.Predictor, encodings.PredictorLength, weakNas with { Sampling = WeakNasSampling.ExpectedImprovement }, seed),
            "random" => new RandomSearch(space.Count, seed),
            "evolution" => new RegularizedEvolution<TArch>(space, seed),
            "local" => new LocalSearch<TArch>(space, seed),
            _ => new Bananas<TArch>(space, encodings.Path, encodings.PathLength, bananas ?? new BananasOptions(), seed),
        };
    }
}
