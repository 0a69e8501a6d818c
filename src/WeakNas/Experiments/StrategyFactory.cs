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
            "weaknas" => WeakNas(WeakNasSampling.Uniform),
            "weaknas-ei" => WeakNas(WeakNasSampling.ExpectedImprovement),
            "random" => new RandomSearch(space.Count, seed, admissible),
            "evolution" => new RegularizedEvolution<TArch>(space, seed, admissible: admissible),
            "local" => new LocalSearch<TArch>(space, seed, admissible),
            _ => new Bananas<TArch>(space, encodings.Path, encodings.PathLength, bananas ?? new BananasOptions(), seed, admissible),
        };
        return constraint == null ? strategy : new ConstrainedStrategy(strategy, constraint);

        // The matrix the predictor ranks: the space's predictor encoding, or its path encoding when asked for.
        WeakNasStrategy WeakNas(WeakNasSampling sampling) => weakNas.PathEncoding
            ? new WeakNasStrategy(encodings.Path, encodings.PathLength, weakNas with { Sampling = sampling }, seed, admissible: admissible)
            : new WeakNasStrategy(encodings.Predictor, encodings.PredictorLength, weakNas with { Sampling = sampling }, seed, admissible: admissible);
    }

    /// <summary>
    /// A strategy over any space, through its catalogue: listed catalogues rank every architecture, open ones rank fresh
    /// candidates each iteration (WeakNAS) and sample without repeats (random search). Both predictors use
    /// <paramref name="predictor"/>; BANANAS uses <paramref name="path"/> when given.
    /// </summary>
    public static ISearchStrategy Create<TArch>(
        string name, ArchitectureCatalogue<TArch> catalogue, ArchitectureEncoding<TArch> predictor, ulong seed, WeakNasOptions weakNas,
        BananasOptions? bananas = null, FreshCandidateOptions? fresh = null, ArchitectureEncoding<TArch>? path = null)
        where TArch : notnull, IEquatable<TArch>
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(predictor);
        var ranking = weakNas.PathEncoding && path != null ? path : predictor;
        ICandidateSource Source() => catalogue.Size is int size
            ? new ListedCandidates(ranking.Listed ?? ranking.Rows(catalogue, [.. Enumerable.Range(0, size)]), ranking.Length)
            : new FreshCandidates<TArch>(catalogue, ranking, fresh);
        return name switch
        {
            "weaknas" => new WeakNasStrategy(Source(), weakNas with { Sampling = WeakNasSampling.Uniform }, seed),
            "weaknas-ei" => new WeakNasStrategy(Source(), weakNas with { Sampling = WeakNasSampling.ExpectedImprovement }, seed),
            "random" => RandomSearch.Over(catalogue, seed),
            "evolution" => new RegularizedEvolution<TArch>(catalogue, seed),
            "local" => new LocalSearch<TArch>(catalogue, seed),
            _ => new Bananas<TArch>(catalogue, path ?? predictor, bananas ?? new BananasOptions(), seed),
        };
    }
}
