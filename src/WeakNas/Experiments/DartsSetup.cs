using WeakNas.Benchmarks;
using WeakNas.Hardware;
using WeakNas.Spaces;
using WeakNas.Spaces.Darts;

namespace WeakNas.Experiments;

/// <summary>The DARTS space over a user table: loading it, the strategies' encodings, and the parameter counts constraints read.</summary>
public static class DartsSetup
{
    /// <summary>
    /// A table of DARTS genotypes: JSON (<see cref="UserTableBenchmark.LoadJson"/>, NASLib's zc_nasbench301 file among
    /// them) or CSV with an <c>arch</c> column in any of the three text forms.
    /// </summary>
    public static UserTableBenchmark<DartsGenotype> Load(DartsProvider provider, string table, string metric, string? reportMetric)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(table);
        return table.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? UserTableBenchmark.LoadJson(provider.Space, table, metric, reportMetric)
            : UserTableBenchmark.LoadTextForm(provider.Space, table, metric, reportMetric);
    }

    /// <summary>The adjacency one-hot for WeakNAS's predictor, BANANAS's path encoding for BANANAS.</summary>
    public static SpaceEncodings Encodings(UserTableBenchmark<DartsGenotype> benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return Encodings(benchmark.Space);
    }

    /// <summary>
    /// The same over any listed DARTS space (a table, a pool). The path encoding's rows (11,200 floats each) are built
    /// only when BANANAS asks for them.
    /// </summary>
    public static SpaceEncodings Encodings(IEnumerableSearchSpace<DartsGenotype> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var path = DartsProvider.Instance.Path;
        return new SpaceEncodings(space.EncodeAll, space.EncodingLength, () => path.ListedRows(space), path.Length);
    }

    /// <summary>Millions of parameters of each row's CIFAR-10 evaluation network, for <c>params&lt;=X</c> constraints.</summary>
    public static ArchitectureMetrics Metrics(UserTableBenchmark<DartsGenotype> benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var space = benchmark.Space;
        var parameters = new double[space.Count];
        for (int i = 0; i < space.Count; i++) parameters[i] = DartsParameters.Count(space[i], DartsParameters.Network.Cifar10) / 1e6;
        return new ArchitectureMetrics($"DARTS CIFAR-10 networks of {benchmark.Source}", space.Count, parameters, []);
    }
}
