namespace WeakNas.Spaces.Declared;

/// <summary>
/// An architecture of a declared space: the choice index of each decision in declaration order, -1 for a decision
/// its conditions switch off. Two architectures are equal when every decision agrees, so inactive decisions never
/// tell equal networks apart.
/// </summary>
public sealed class DeclaredArchitecture : IEquatable<DeclaredArchitecture>
{
    private readonly int[] _values;
    private readonly int _hash;

    internal DeclaredArchitecture(int[] values)
    {
        _values = values;
        var hash = new HashCode();
        foreach (int v in values) hash.Add(v);
        _hash = hash.ToHashCode();
    }

    /// <summary>The choice index of decision <paramref name="decision"/>, or -1 when it is inactive.</summary>
    public int this[int decision] => _values[decision];

    /// <summary>How many decisions the space declares.</summary>
    public int Count => _values.Length;

    /// <summary>A copy of the choice indices.</summary>
    public int[] ToArray() => (int[])_values.Clone();

    public bool Equals(DeclaredArchitecture? other) => other is not null && _hash == other._hash && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as DeclaredArchitecture);

    public override int GetHashCode() => _hash;

    public override string ToString() => string.Join(",", _values);
}
