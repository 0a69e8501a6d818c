using WeakNas.Benchmarks;
using WeakNas.Data;
using WeakNas.Tests.Spaces.NasBench101;

namespace WeakNas.Tests.Data;

public class NasBench101TableTests
{
    [Fact]
    public void A_written_table_reads_back_identically()
    {
        using var dir = new TemporaryFolder();
        var table = NasBench101ApiJson.Read(NasBench101Files.Api);
        string path = Path.Combine(dir.Path, "sub", "t.bin");
        table.Write(path);
        var read = NasBench101Table.Read(path);
        Assert.Equal(table.Count, read.Count);
        Assert.Equal(table.Budgets, read.Budgets);
        Assert.Equal(table.Repeats, read.Repeats);
        for (int row = 0; row < table.Count; row++)
        {
            Assert.Equal(table.Hash(row), read.Hash(row));
            Assert.Equal(table.Cell(row), read.Cell(row));
            Assert.Equal(table.Parameters(row), read.Parameters(row));
            for (int r = 0; r < table.Repeats; r++)
            {
                Assert.Equal(table.ValidationAccuracy(row, 0, r), read.ValidationAccuracy(row, 0, r));
                Assert.Equal(table.TestAccuracy(row, 0, r), read.TestAccuracy(row, 0, r));
                Assert.Equal(table.TrainingTime(row, 0, r), read.TrainingTime(row, 0, r));
            }
        }
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "sub")));
    }

    [Fact]
    public void Missing_values_are_nan()
    {
        var table = NasBench101SampleJson.Read(NasBench101Files.Sample);
        Assert.Equal([4, 12, 36, 108], table.Budgets);
        Assert.Equal(1, table.Repeats);
        Assert.True(double.IsNaN(table.TestAccuracy(0, 3, 0)));
        Assert.True(double.IsNaN(table.TrainingTime(0, 0, 0)));
        Assert.False(double.IsNaN(table.TrainingTime(0, 3, 0)));
        Assert.Equal(0.9304887652397156, table.ValidationAccuracy(0, 3, 0), 1e-7);
    }

    [Theory]
    [InlineData("flip", "checksum mismatch")]
    [InlineData("truncate", "truncated or damaged")]
    [InlineData("magic", "wrong magic")]
    [InlineData("version", "table format version 2")]
    public void A_damaged_table_is_refused_with_its_name(string damage, string expected)
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "nb101_table.bin");
        NasBench101ApiJson.Read(NasBench101Files.Api).Write(path);
        byte[] bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flip": bytes[bytes.Length / 2] ^= 4; break;
            case "truncate": bytes = bytes[..^9]; break;
            case "magic": bytes[1] = 0; break;
            default: bytes[8] = 2; break;
        }
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Table.Read(path));
        Assert.StartsWith("nb101_table.bin: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_table_is_named()
    {
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Table.Read("/nonexistent/nb101_table.bin"));
        Assert.Contains("/nonexistent/nb101_table.bin", e.Message);
    }
}
