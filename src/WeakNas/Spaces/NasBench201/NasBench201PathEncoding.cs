namespace WeakNas.Spaces.NasBench201;

/// <summary>
/// BANANAS's path encoding of a NAS-Bench-201 cell: one binary feature per sequence of ops along an
/// input→output path (5 + 5² + 5³ = 155 features). The cell has four such paths: 0→3, 0→1→3, 0→2→3 and
/// 0→1→2→3; a path through a <c>none</c> edge carries nothing and sets no feature. No truncation is needed:
/// the encoding is already short.
/// </summary>
public static class NasBench201PathEncoding
{
    private const int Ops = NasBench201Cell.OpCount;

    public const int Length = Ops + Ops * Ops + Ops * Ops * Ops;

    // Edge order 0→1, 0→2, 1→2, 0→3, 1→3, 2→3: the four paths as edge lists.
    private static readonly int[][] Paths = [[3], [0, 4], [1, 5], [0, 2, 5]];

    public static void Encode(NasBench201Cell cell, Span<float> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"Need {Length} floats, got {destination.Length}.", nameof(destination));
        destination[..Length].Clear();
        foreach (var path in Paths)
        {
            int index = 0;
            bool live = true;
            foreach (int edge in path)
            {
                var op = cell[edge];
                if (op == NasBench201Op.None) { live = false; break; }
                index = index * Ops + (int)op;
            }
            if (!live) continue;
            int offset = path.Length switch { 1 => 0, 2 => Ops, _ => Ops + Ops * Ops };
            destination[offset + index] = 1f;
        }
    }

    /// <summary>Every cell of the space, in index order (Count × <see cref="Length"/>).</summary>
    public static float[] EncodeAll(NasBench201Space space)
    {
        var encoded = new float[space.Count * Length];
        for (int i = 0; i < space.Count; i++) Encode(space[i], encoded.AsSpan(i * Length, Length));
        return encoded;
    }
}
