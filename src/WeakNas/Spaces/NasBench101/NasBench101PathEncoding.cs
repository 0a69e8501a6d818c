namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// BANANAS's path encoding of a NAS-Bench-101 cell: one binary feature per sequence of ops along an
/// input→output path. A path through k interior vertices with ops o_0 … o_{k-1} (from the input on) has
/// index Σ_i 3^i · (label(o_i) + 1), labels conv3x3 0, conv1x1 1, maxpool3x3 2, so paths of 0..5 interior
/// vertices fill 3^0 + … + 3^5 = 364 features. BANANAS truncates the vector to its first 40 features
/// (all paths of up to two ops and some of three), where nearly all the signal is; so does
/// <see cref="DefaultLength"/>.
/// </summary>
public static class NasBench101PathEncoding
{
    /// <summary>All 364 features.</summary>
    public const int FullLength = 1 + 3 + 9 + 27 + 81 + 243;

    /// <summary>BANANAS's truncation: the first 40 features.</summary>
    public const int DefaultLength = 40;

    /// <summary>Writes the first <paramref name="length"/> features (1..364) of the path encoding.</summary>
    public static void Encode(NasBench101Cell cell, Span<float> destination, int length = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, FullLength);
        if (destination.Length < length)
            throw new ArgumentException($"Need {length} floats, got {destination.Length}.", nameof(destination));
        Span<float> target = destination[..length];
        target.Clear();
        Visit(cell, cell.VertexCount, 0, 0, 1, target);
    }

    /// <summary>The indices (0..363) of the cell's paths, ascending, one per path (two paths can share an index).</summary>
    public static int[] PathIndices(NasBench101Cell cell)
    {
        var indices = new List<int>();
        Collect(cell, cell.VertexCount, 0, 0, 1, indices);
        indices.Sort();
        return [.. indices];
    }

    /// <summary>Every cell of <paramref name="space"/> in index order (Count × <paramref name="length"/>, row-major).</summary>
    public static float[] EncodeAll(IEnumerableSearchSpace<NasBench101Cell> space, int length = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(space);
        var encoded = new float[(long)space.Count * length];
        for (int i = 0; i < space.Count; i++) Encode(space[i], encoded.AsSpan(i * length, length), length);
        return encoded;
    }

    // Walks every path from vertex v; index so far and the place value 3^depth of the next op.
    private static void Visit(NasBench101Cell cell, int n, int v, int index, int place, Span<float> target)
    {
        for (int w = v + 1; w < n; w++)
        {
            if ((cell.InMask(w) >> v & 1) == 0) continue;
            if (w == n - 1)
            {
                if (index < target.Length) target[index] = 1f;
            }
            else
            {
                Visit(cell, n, w, index + place * (cell.Label(w) + 1), place * 3, target);
            }
        }
    }

    private static void Collect(NasBench101Cell cell, int n, int v, int index, int place, List<int> indices)
    {
        for (int w = v + 1; w < n; w++)
        {
            if ((cell.InMask(w) >> v & 1) == 0) continue;
            if (w == n - 1) indices.Add(index);
            else Collect(cell, n, w, index + place * (cell.Label(w) + 1), place * 3, indices);
        }
    }
}
