using System.Security.Cryptography;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

public class NasBench101HashTests
{
    public static TheoryData<bool> Md5Paths()
    {
        var paths = new TheoryData<bool> { false };
        if (NasBench101Md5.VectorsSupported) paths.Add(true);
        return paths;
    }

    [Theory]
    [MemberData(nameof(Md5Paths))]
    public void Reproduces_every_key_of_the_1k_sample(bool vectors)
    {
        var rows = NasBench101Files.SampleRows();
        var codes = rows.Select(r => NasBench101Cell.Create(r.Matrix, r.Labels.Select(l => (NasBench101Op)l).ToArray()).Code).ToArray();
        var hashes = new NasBench101Hash[codes.Length];
        NasBench101HashFunction.ComputeMany(codes, hashes, vectors);
        Assert.Equal(1000, rows.Count);
        for (int i = 0; i < rows.Count; i++) Assert.Equal(rows[i].Key, hashes[i].ToString());
    }

    [Theory]
    [MemberData(nameof(Md5Paths))]
    public void Reproduces_every_hash_of_the_api_file(bool vectors)
    {
        var cells = NasBench101Files.ApiCells();
        var codes = cells.Select(c => NasBench101Cell.Create(c.Matrix, c.Ops).Code).ToArray();
        var hashes = new NasBench101Hash[codes.Length];
        NasBench101HashFunction.ComputeMany(codes, hashes, vectors);
        Assert.Equal(30, cells.Count);
        for (int i = 0; i < cells.Count; i++) Assert.Equal(cells[i].Hash, hashes[i].ToString());
    }

    [Fact]
    public void One_cell_at_a_time_gives_the_same_hashes()
    {
        foreach (var row in NasBench101Files.SampleRows().Take(50))
            Assert.Equal(row.Key, NasBench101Hash.Of(NasBench101Cell.Create(row.Matrix, row.Labels.Select(l => (NasBench101Op)l).ToArray())).ToString());
    }

    [Fact]
    public void Numbering_the_vertices_differently_keeps_the_hash()
    {
        // Two branches from input to output, conv3x3 then maxpool, listed in either order.
        var a = NasBench101Cell.Parse("0110" + "0001" + "0001" + "0000" + ":input,conv3x3-bn-relu,maxpool3x3,output");
        var b = NasBench101Cell.Parse("0110" + "0001" + "0001" + "0000" + ":input,maxpool3x3,conv3x3-bn-relu,output");
        Assert.NotEqual(a, b);
        Assert.Equal(NasBench101Hash.Of(a), NasBench101Hash.Of(b));
        var c = NasBench101Cell.Parse("0110" + "0001" + "0001" + "0000" + ":input,maxpool3x3,maxpool3x3,output");
        Assert.NotEqual(NasBench101Hash.Of(a), NasBench101Hash.Of(c));
    }

    [Fact]
    public void Hash_text_round_trips_and_orders_like_the_text()
    {
        var texts = NasBench101Files.SampleRows().Select(r => r.Key).Take(200).ToArray();
        var hashes = texts.Select(NasBench101Hash.Parse).ToArray();
        Assert.Equal(texts, hashes.Select(h => h.ToString()));
        Assert.Equal(texts.Order(StringComparer.Ordinal), hashes.Order().Select(h => h.ToString()));
        Assert.Equal(hashes[3], NasBench101Hash.Parse(texts[3].ToUpperInvariant()));
        Assert.False(NasBench101Hash.TryParse("02e5a0247bbdcf2860b7e96f7496159", out _));
        Assert.False(NasBench101Hash.TryParse("02e5a0247bbdcf2860b7e96f7496159g", out _));
        Assert.Throws<FormatException>(() => NasBench101Hash.Parse("xyz"));
    }

    [Theory]
    [MemberData(nameof(Md5Paths))]
    public unsafe void Batched_md5_equals_the_platform_md5_for_every_length(bool vectors)
    {
        var random = new Random(7);
        const int Count = 253;
        var arena = new byte[Count * NasBench101Md5.SlotSize];
        var offsets = new int[Count];
        var lengths = new int[Count];
        var expected = new byte[Count * 16];
        for (int i = 0; i < Count; i++)
        {
            offsets[i] = i * NasBench101Md5.SlotSize;
            lengths[i] = i;
            random.NextBytes(arena.AsSpan(offsets[i], i));
            MD5.HashData(arena.AsSpan(offsets[i], i), expected.AsSpan(i * 16, 16));
        }
        var digests = new byte[Count * 16];
        fixed (byte* p = arena) NasBench101Md5.HashMany(p, offsets, lengths, digests, vectors);
        Assert.Equal(expected, digests);
    }
}
