namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// The sequence encoding the WeakNAS reference uses for NAS-Bench-101 (its <c>convert_arch_to_seq</c>, after
/// SemiNAS): for each vertex column 1..6, the adjacency entries of the rows above it (whether vertex 0, 1, …
/// feeds it), then a 4-way one-hot of that vertex's op over (conv1x1, conv3x3, maxpool3x3, output). A cell
/// with fewer than 7 vertices writes zeros for the columns past its output.
/// </summary>
public static class NasBench101SequenceEncoding
{
    /// <summary>Op categories of the one-hot after each column.</summary>
    public const int OpCategories = 4;

    /// <summary>
    /// Column c contributes c entries and 4 op values: Σ_{c=1..6} (c + 4) = 21 + 24 = 45, which is the
    /// reference's own check <c>(5 + max_n + 3) · (max_n - 1) / 2</c> for max_n = 7.
    /// </summary>
    public const int Length = NasBench101Cell.EdgeSpots + (NasBench101Cell.MaxVertices - 1) * OpCategories;

    /// <summary>Writes the encoding of <paramref name="cell"/> into the first <see cref="Length"/> floats.</summary>
    public static void Encode(NasBench101Cell cell, Span<float> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"Need {Length} floats, got {destination.Length}.", nameof(destination));
        Span<float> target = destination[..Length];
        target.Clear();
        int n = cell.VertexCount;
        int position = 0;
        for (int column = 1; column < NasBench101Cell.MaxVertices; column++)
        {
            if (column >= n)
            {
                position += column + OpCategories;
                continue;
            }
            uint sources = cell.InMask(column);
            for (int row = 0; row < column; row++, position++)
                if ((sources >> row & 1) != 0) target[position] = 1f;
            int category = cell.Label(column) switch
            {
                (int)NasBench101Op.Conv1x1 => 0,
                (int)NasBench101Op.Conv3x3 => 1,
                (int)NasBench101Op.MaxPool3x3 => 2,
                _ => 3,
            };
            target[position + category] = 1f;
            position += OpCategories;
        }
    }

    /// <summary>Every cell of <paramref name="space"/> in index order (Count × <see cref="Length"/>, row-major).</summary>
    public static float[] EncodeAll(IEnumerableSearchSpace<NasBench101Cell> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var encoded = new float[(long)space.Count * Length];
        for (int i = 0; i < space.Count; i++) Encode(space[i], encoded.AsSpan(i * Length, Length));
        return encoded;
    }
}
