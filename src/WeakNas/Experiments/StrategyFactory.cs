using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>Builds a strategy by its command-line name for the NAS-Bench-201 space, sharing encodings across runs.</summary>
public static class StrategyFactory
{
    public static IReadOnlyList<string> Names { get; } = ["weaknas", "weaknas-ei", "random", "evolution", "local", "bananas"];

    private static readonly Lazy<float[]> OneHot = new(() => SearchSpaceExtensions.EncodeAll(NasBench201Space.Instance));
    private static readonly Lazy<float[]> Paths = new(() => NasBench201PathEncoding.EncodeAll(NasBench201Space.Instance));

    public static void CheckName(string name)
    {
        if (!Names.Contains(name))
            throw new InvalidInputException($"unknown strategy '{name}'; expected one of {string.Join(", ", Names)}");
    }

    /// <param name="weakNas">WeakNAS settings (also used by weaknas-ei, with expected-improvement sampling).</param>
    public static ISearchStrategy CreateNasBench201(string name, ulong seed, WeakNasOptions weakNas, BananasOptions? bananas = null)
    {
        CheckName(name);
        var space = NasBench201Space.Instance;
        return name switch
        {
            "weaknas" => new WeakNasStrategy(OneHot.Value, space.EncodingLength, weakNas with { Sampling = WeakNasSampling.Uniform }, seed),
            "weaknas-ei" => new WeakNasStrategy(OneHot.Value, space.EncodingLength, weakNas with { Sampling = WeakNasSampling.ExpectedImprovement }, seed),
            "random" => new RandomSearch(space.Count, seed),
            "evolution" => new RegularizedEvolution<NasBench201Cell>(space, seed),
            "local" => new LocalSearch<NasBench201Cell>(space, seed),
            _ => new Bananas<NasBench201Cell>(space, Paths.Value, NasBench201PathEncoding.Length, bananas ?? new BananasOptions(), seed),
        };
    }
}
