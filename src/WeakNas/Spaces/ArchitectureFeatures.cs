namespace WeakNas.Spaces;

/// <summary>Writes an architecture's feature vector for a predictor.</summary>
public delegate void EncodeInto<in TArch>(TArch arch, Span<float> destination);

/// <summary>
/// An encoding of a space's architectures: its length, how to write one architecture's features, and, for a listed
/// space, the matrix of every architecture's features (row i for index i), built once and shared by every run.
/// </summary>
public sealed class ArchitectureEncoding<TArch> where TArch : notnull, IEquatable<TArch>
{
    private readonly Lazy<float[]>? _listed;

    public ArchitectureEncoding(int length, EncodeInto<TArch> encode, Func<float[]>? listed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        Encode = encode ?? throw new ArgumentNullException(nameof(encode));
        if (listed != null) _listed = new Lazy<float[]>(listed);
    }

    public int Length { get; }

    public EncodeInto<TArch> Encode { get; }

    /// <summary>Every architecture's features when the encoding belongs to a listed space; null otherwise.</summary>
    public float[]? Listed => _listed?.Value;

    /// <summary>The space's own encoding (<see cref="ISearchSpace{TArch}.Encode"/>).</summary>
    public static ArchitectureEncoding<TArch> Own(ISearchSpace<TArch> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return new ArchitectureEncoding<TArch>(space.EncodingLength, space.Encode,
            space is IEnumerableSearchSpace<TArch> listed ? listed.EncodeAll : null);
    }

    /// <summary>Every architecture's features of a listed space, row i for index i: the matrix when there is one, else encoded now.</summary>
    public float[] ListedRows(IEnumerableSearchSpace<TArch> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Listed ?? Rows(ArchitectureCatalogue<TArch>.Listed(space), [.. Enumerable.Range(0, space.Count)]);
    }

    /// <summary>The features of the architectures behind <paramref name="handles"/>, row by row.</summary>
    public float[] Rows(ArchitectureCatalogue<TArch> catalogue, IReadOnlyList<int> handles)
    {
        var rows = new float[handles.Count * Length];
        var all = catalogue.Size != null ? Listed : null;
        for (int i = 0; i < handles.Count; i++)
        {
            var row = rows.AsSpan(i * Length, Length);
            if (all != null) all.AsSpan(handles[i] * Length, Length).CopyTo(row);
            else Encode(catalogue[handles[i]], row);
        }
        return rows;
    }
}
