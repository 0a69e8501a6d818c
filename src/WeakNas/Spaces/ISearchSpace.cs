using WeakNas.Numerics;

namespace WeakNas.Spaces;

/// <summary>
/// A search space: what every strategy needs to propose architectures without space-specific code.
/// </summary>
public interface ISearchSpace<TArch> where TArch : notnull, IEquatable<TArch>
{
    /// <summary>Short name used on the command line, e.g. "nb201".</summary>
    string Name { get; }

    /// <summary>An architecture drawn uniformly at random.</summary>
    TArch Sample(Rng rng);

    /// <summary>A random architecture that differs from <paramref name="arch"/> in exactly one decision.</summary>
    TArch Mutate(TArch arch, Rng rng);

    /// <summary>Every architecture that differs from <paramref name="arch"/> in exactly one decision.</summary>
    IReadOnlyList<TArch> Neighbours(TArch arch);

    /// <summary>Length of the feature vector that <see cref="Encode"/> writes.</summary>
    int EncodingLength { get; }

    /// <summary>Writes the predictor's feature vector for <paramref name="arch"/>.</summary>
    void Encode(TArch arch, Span<float> destination);

    /// <summary>A key equal for exactly the architectures that compute the same function.</summary>
    string CanonicalKey(TArch arch);

    /// <summary>The standard text form.</summary>
    string Format(TArch arch);

    /// <summary>Parses the standard text form; throws <see cref="FormatException"/> saying what is wrong and where.</summary>
    TArch Parse(string text);
}

/// <summary>A search space small enough to list: architectures have a stable index 0..Count-1.</summary>
public interface IEnumerableSearchSpace<TArch> : ISearchSpace<TArch> where TArch : notnull, IEquatable<TArch>
{
    int Count { get; }

    TArch this[int index] { get; }

    int IndexOf(TArch arch);
}
