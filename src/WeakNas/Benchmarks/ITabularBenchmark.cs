using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Benchmarks;

/// <summary>
/// A table of trained architectures over an enumerable space: architecture i of the space has row i.
/// The search metric is a validation accuracy; the report metric is a test accuracy never shown to the search.
/// </summary>
public interface ITabularBenchmark<TArch> where TArch : notnull, IEquatable<TArch>
{
    IEnumerableSearchSpace<TArch> Space { get; }

    string Dataset { get; }

    /// <summary>Name of the search metric's column, for reports.</summary>
    string SearchMetric { get; }

    /// <summary>Name of the report metric's column.</summary>
    string TestMetric { get; }

    /// <summary>Mean over training seeds of the search metric (percent).</summary>
    double SearchAccuracy(int index);

    /// <summary>The report metric (percent).</summary>
    double TestAccuracy(int index);

    /// <summary>True when single training seeds' search accuracies are known.</summary>
    bool HasPerSeedSearchAccuracy { get; }

    /// <summary>One training seed's search accuracy, drawn at random.</summary>
    double SampleSearchAccuracy(int index, Rng rng);

    /// <summary>Index of the architecture with the best mean search accuracy (the lowest index among ties).</summary>
    int OptimumIndex { get; }
}
