namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// The adjacency and one-hot ops encoding of a cell, 56 values: the 21 upper-triangular entries of the
/// padded 7×7 adjacency matrix row by row ((0,1), (0,2), …, (0,6), (1,2), …, (5,6)), then for each of the
/// 7 vertices a one-hot of its op over (input, conv1x1, conv3x3, maxpool3x3, output), the op order the
/// WeakNAS reference uses. A cell with fewer than 7 vertices is padded as <c>nb101_sample_1k.json</c> pads:
/// its vertices keep their numbers and the padding vertices after the output have no edges and all-zero ops.
/// </summary>
public static class NasBench101Encoding
{
    /// <summary>Ops in one-hot order.</summary>
    public const int OpCategories = 5;

    /// <summary>21 + 7 · 5 = 56.</summary>
    public const int Length = NasBench101Cell.EdgeSpots + NasBench101Cell.MaxVertices * OpCategories;

    /// <summary>Writes the encoding of <paramref name="cell"/> into the first <see cref="Length"/> floats.</summary>
    public static void Encode(NasBench101Cell cell, Span<float> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"Need {Length} floats, got {destination.Length}.", nameof(destination));
        Span<float> target = destination[..Length];
        target.Clear();
        int n = cell.VertexCount;
        int position = 0;
        for (int from = 0; from < NasBench101Cell.MaxVertices - 1; from++)
        {
            for (int to = from + 1; to < NasBench101Cell.MaxVertices; to++, position++)
                if (to < n && (cell.InMask(to) >> from & 1) != 0) target[position] = 1f;
        }
        for (int v = 0; v < n; v++) target[NasBench101Cell.EdgeSpots + v * OpCategories + Category(cell.Label(v))] = 1f;
    }

    /// <summary>Every cell of <paramref name="space"/> in index order (Count × <see cref="Length"/>, row-major).</summary>
    public static float[] EncodeAll(IEnumerableSearchSpace<NasBench101Cell> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var encoded = new float[(long)space.Count * Length];
        for (int i = 0; i < space.Count; i++) Encode(space[i], encoded.AsSpan(i * Length, Length));
        return encoded;
    }

    private static int Category(int label) => label switch
    {
        (int)NasBench101Op.Input => 0,
        (int)NasBench101Op.Conv1x1 => 1,
        (int)NasBench101Op.Conv3x3 => 2,
        (int)NasBench101Op.MaxPool3x3 => 3,
        _ => 4,
    };
}
