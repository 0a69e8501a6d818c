using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

public class NasBench101EncodingTests
{
    // input → conv1x1 → output, n = 3.
    private static readonly NasBench101Cell Small = NasBench101Cell.Parse("010001000:input,conv1x1-bn-relu,output");

    private static int[] Ones(ReadOnlySpan<float> encoding)
    {
        var ones = new List<int>();
        for (int i = 0; i < encoding.Length; i++)
        {
            Assert.True(encoding[i] is 0f or 1f);
            if (encoding[i] == 1f) ones.Add(i);
        }
        return [.. ones];
    }

    [Fact]
    public void Lengths_follow_from_their_definitions()
    {
        Assert.Equal(56, NasBench101Encoding.Length);
        Assert.Equal(21 + 7 * 5, NasBench101Encoding.Length);
        // The WeakNAS reference asserts len(seq) == (5 + max_n + 3) * (max_n - 1) / 2.
        Assert.Equal((5 + 7 + 3) * (7 - 1) / 2, NasBench101SequenceEncoding.Length);
        Assert.Equal(NasBench101SequenceEncoding.Length, Enumerable.Range(1, 6).Sum(column => column + 4));
        Assert.Equal(NasBench101PathEncoding.FullLength, Enumerable.Range(0, 6).Sum(k => (int)Math.Pow(3, k)));
        Assert.Equal(364, NasBench101PathEncoding.FullLength);
        Assert.Equal(40, NasBench101PathEncoding.DefaultLength);
        Assert.Equal(56, EnumeratedSpace.Value.EncodingLength);
    }

    [Fact]
    public void Adjacency_one_hot_of_a_small_cell()
    {
        var encoding = new float[NasBench101Encoding.Length];
        NasBench101Encoding.Encode(Small, encoding);
        // Edges (0,1) at 0 and (1,2) at 6 (row 0 has 6 entries); input 21+0, conv1x1 21+5+1, output 21+10+4.
        Assert.Equal([0, 6, 21, 27, 35], Ones(encoding));
    }

    [Fact]
    public void Sequence_of_a_small_cell_is_zero_padded_after_its_output()
    {
        var encoding = new float[NasBench101SequenceEncoding.Length];
        NasBench101SequenceEncoding.Encode(Small, encoding);
        // Column 1: [edge 0→1] + conv1x1 one-hot at 1; column 2: [0→2, 1→2] at 5, 6 + output one-hot at 7..10.
        Assert.Equal([0, 1, 6, 10], Ones(encoding));
    }

    [Fact]
    public void Sequence_of_a_full_cell()
    {
        // 0→1→2→...→6 chain with ops conv3x3, conv1x1, maxpool, conv3x3, conv1x1.
        var cell = NasBench101Cell.Parse(
            "0100000" + "0010000" + "0001000" + "0000100" + "0000010" + "0000001" + "0000000"
            + ":input,conv3x3-bn-relu,conv1x1-bn-relu,maxpool3x3,conv3x3-bn-relu,conv1x1-bn-relu,output");
        var encoding = new float[NasBench101SequenceEncoding.Length];
        NasBench101SequenceEncoding.Encode(cell, encoding);
        // Column c starts at Σ_{k<c}(k+4); its edge from c-1 is at start + c-1, its op one-hot after the c edges.
        var expected = new List<int>();
        int[] category = [1, 0, 2, 1, 0, 3];
        int start = 0;
        for (int column = 1; column <= 6; column++)
        {
            expected.Add(start + column - 1);
            expected.Add(start + column + category[column - 1]);
            start += column + 4;
        }
        Assert.Equal(expected, Ones(encoding));
    }

    [Theory]
    [InlineData("0100:input,output", new[] { 0 })]
    [InlineData("010001000:input,conv1x1-bn-relu,output", new[] { 2 })]
    [InlineData("0100001000010000:input,conv3x3-bn-relu,maxpool3x3,output", new[] { 10 })]
    [InlineData("0111000100010000:input,maxpool3x3,conv3x3-bn-relu,output", new[] { 0, 1, 3 })]
    [InlineData("0110000100010000:input,conv3x3-bn-relu,conv3x3-bn-relu,output", new[] { 1, 1 })]
    public void Path_indices_follow_bananas(string text, int[] expected)
    {
        // index = Σ_i 3^i · (label_i + 1) along the path, labels conv3x3 0, conv1x1 1, maxpool 2.
        var cell = NasBench101Cell.Parse(text);
        Assert.Equal(expected.Order(), NasBench101PathEncoding.PathIndices(cell));
        var full = new float[NasBench101PathEncoding.FullLength];
        NasBench101PathEncoding.Encode(cell, full, NasBench101PathEncoding.FullLength);
        Assert.Equal(expected.Distinct().Order(), Ones(full));
    }

    [Fact]
    public void Truncated_path_encoding_is_a_prefix_of_the_full_one()
    {
        var space = EnumeratedSpace.Value;
        var full = new float[NasBench101PathEncoding.FullLength];
        var truncated = new float[NasBench101PathEncoding.DefaultLength];
        int longPaths = 0;
        for (int i = 0; i < space.Count; i += 1009)
        {
            NasBench101PathEncoding.Encode(space[i], full, NasBench101PathEncoding.FullLength);
            NasBench101PathEncoding.Encode(space[i], truncated);
            Assert.Equal(full[..NasBench101PathEncoding.DefaultLength], truncated);
            if (full.AsSpan(NasBench101PathEncoding.DefaultLength).IndexOf(1f) >= 0) longPaths++;
        }
        Assert.True(longPaths > 0);
    }

    [Fact]
    public void Encode_all_writes_one_row_per_cell()
    {
        var space = NasBench101Space.FromCells([Small, default]);
        var rows = NasBench101Encoding.EncodeAll(space);
        Assert.Equal(2 * 56, rows.Length);
        var one = new float[56];
        space.Encode(Small, one);
        Assert.Equal(one, rows[..56]);
        Assert.Equal(2 * 45, NasBench101SequenceEncoding.EncodeAll(space).Length);
        Assert.Equal(2 * 40, NasBench101PathEncoding.EncodeAll(space).Length);
        Assert.Throws<ArgumentException>(() => NasBench101Encoding.Encode(Small, new float[55]));
    }
}
