using System.Text;
using WeakNas.Data;

namespace WeakNas.Tests.Data;

public class PackedFileTests
{
    private const string Table =
        "index,arch,acc,loss,neg,mixed\n" +
        "0,|a~0|,81.52,0.001767178,-0.5,007\n" +
        "1,|b~0|+|c~1|,9,10.75437069,-12,x\n" +
        "2,,100.000,0.0,-0.0,1.5\n";

    [Theory]
    [InlineData(Table)]
    [InlineData("a,b\r\n1,2\r\n3,4")]
    [InlineData("only\n")]
    [InlineData("x,y\n123456789012345678,1234567890123456789\n")]
    public void A_table_unpacks_to_the_same_bytes(string text)
    {
        byte[] original = Encoding.UTF8.GetBytes(text);
        byte[] packed = PackedFile.Pack("t.csv", original, asTable: true);
        Assert.Equal(original, PackedFile.Unpack(packed, "t.csv"));
        var info = PackedFile.ReadInfo(packed, "t.csv");
        Assert.True(info.IsTable);
        Assert.Equal("t.csv", info.Name);
        Assert.Equal(original.Length, info.OriginalLength);
    }

    [Fact]
    public void Decimal_columns_pack_smaller_than_text()
    {
        var rows = new StringBuilder("a,b\n");
        var rng = new Random(1);
        for (int i = 0; i < 5000; i++) rows.Append(i).Append(',').Append((rng.NextDouble() * 100).ToString("F8", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        byte[] original = Encoding.UTF8.GetBytes(rows.ToString());
        byte[] asTable = PackedFile.Pack("t.csv", original, asTable: true);
        byte[] asBytes = PackedFile.Pack("t.csv", original, asTable: false);
        Assert.Equal(original, PackedFile.Unpack(asTable, "t"));
        Assert.Equal(original, PackedFile.Unpack(asBytes, "t"));
        Assert.True(asTable.Length < asBytes.Length, $"table form {asTable.Length} bytes, byte form {asBytes.Length}");
    }

    [Fact]
    public void A_ragged_table_is_refused_with_its_line()
    {
        var e = Assert.Throws<InvalidInputException>(() => PackedFile.Pack("t.csv", "a,b\n1,2\n3\n"u8, asTable: true));
        Assert.Equal("t.csv line 3: 1 fields, expected 2 as in the header", e.Message);
    }

    [Theory]
    [InlineData(0, "not a packed benchmark file")]
    [InlineData(4, "packed format version")]
    [InlineData(-1, "checksum mismatch")]
    [InlineData(-2000, "truncated packed file")]
    public void Damage_is_one_error_that_names_the_file(int offset, string expected)
    {
        byte[] packed = PackedFile.Pack("t.csv", Encoding.UTF8.GetBytes(Table), asTable: true);
        if (offset == -2000) packed = packed[..20];
        else packed[offset < 0 ? packed.Length + offset : offset] ^= 0x5A;
        var e = Assert.Throws<InvalidInputException>(() => PackedFile.Unpack(packed, "embedded t.csv.wnpk"));
        Assert.StartsWith("embedded t.csv.wnpk: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
