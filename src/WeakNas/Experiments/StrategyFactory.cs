using WeakNas.Hardware;
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
    /// <param name="constraint">A run's constraint: the strategy proposes only what it admits, and comes wrapped in a
    /// <see cref="ConstrainedStrategy"/> that carries it to the search loop. Null for an unconstrained search.</param>
    public static ISearchStrategy Create<TArch>(
        string name, IEnumerableSearchSpace<TArch> space, SpaceEncodings encodings, ulong seed, WeakNasOptions weakNas, BananasOptions? bananas = null,
        ConstraintRun? constraint = null)
        where TArch : notnull, IEquatable<TArch>
    {
        CheckName(name);
        Func<int, bool>? admissible = constraint == null ? null : constraint.Admits;
        ISearchStrategy strategy = name switch
        {
            "weaknas" => new WeakNasStrategy(encodings.Predictor, encodings.PredictorLength, weakNas with { Sampling = WeakNasSampling.Uniform }, seed, admissible: admissible),
            "weaknas-ei" => new WeakNasStrategy(encodings.Predictor, encodings.PredictorLength, weakNas with { Sampling = WeakNasSampling.ExpectedImprovement }, seed, admissible: admissible),
            "random" => new RandomSearch(space.Count, seed, admissible),
            "evolution" => new RegularizedEvolution<TArch>(space, seed, admissible: admissible),
            "local" => new LocalSearch<TArch>(space, seed, admissible),
            _ => new Bananas<TArch>(space, encodings.Path, encodings.PathLength, bananas ?? new BananasOptions(), seed, admissible),
        };
        return constraint == null ? strategy : new ConstrainedStrategy(strategy, constraint);
    }
}
