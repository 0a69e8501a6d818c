using System.Text;
using WeakNas.Data;

namespace WeakNas.Tests.Data;

public class Crc32CTests
{
    [Fact]
    public void Matches_the_published_check_value()
    {
        // The CRC-32C catalogue's check value for "123456789".
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Instruction_table_and_bitwise_implementations_agree_on_every_length()
    {
        var random = new Random(3);
        for (int length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            uint expected = TfRecordTestFile.Crc32C(data);
            Assert.Equal(expected, Crc32C.Compute(data));
            Assert.Equal(expected, Crc32C.ComputeWithTable(data));
            int split = length / 3;
            Assert.Equal(expected, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void Masking_is_tensorflows_and_unmasking_inverts_it()
    {
        foreach (uint crc in new[] { 0u, 1u, 0xE3069283u, 0xFFFFFFFFu, 0x12345678u })
        {
            Assert.Equal(((crc >> 15) | (crc << 17)) + 0xa282ead8u, Crc32C.Mask(crc));
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
        }
    }
}
