using WeakNas.Benchmarks;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;

namespace WeakNas.Experiments;

/// <summary>A declared space with a user table: loading both, and the encodings every strategy uses (the one-hot).</summary>
public static class DeclaredSetup
{
    /// <summary>The search metric's default column name.</summary>
    public const string DefaultMetric = "accuracy";

    /// <summary>Reads the declaration and the table; a declared space is searched over a table (--table) for now.</summary>
    public static UserTableBenchmark<DeclaredArchitecture> Load(string spaceFile, string? table, string? metric, string? reportMetric)
    {
        var space = DeclaredSpaceFile.Load(spaceFile);
        if (string.IsNullOrEmpty(table))
            throw new InvalidInputException($"--space {spaceFile}: a declared space is searched over a table of its architectures: pass --table FILE.csv");
        return UserTableBenchmark.Load(space, table, metric ?? DefaultMetric, reportMetric);
    }

    /// <summary>The space's own encoding (a declared space's one-hot) for the predictor and for BANANAS (a table has no path encoding).</summary>
    public static SpaceEncodings Encodings<TArch>(UserTableBenchmark<TArch> benchmark) where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return SpaceEncodings.Own(benchmark.Space);
    }
}
