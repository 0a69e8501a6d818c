using WeakNas.Cli;
using WeakNas.Data;
using WeakNas.Tests.Data;

namespace WeakNas.Tests.Cli;

public class DataCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Import_writes_the_table_into_the_data_folder()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "nasbench_only108.tfrecord");
        TfRecordTestFile.Write(source, NasBench101Records.FromApiFile());
        var (code, stdout, stderr) = Run("data", "import", "nb101", "--from", source, "--data", dir.Path);
        Assert.True(code == 0, stderr);
        string table = Path.Combine(dir.Path, "nasbench101", "nb101_table.bin");
        Assert.Contains("nasbench_only108.tfrecord: 90 records, 30 cells, budgets 108 epochs, 3 repeats, imported in", stdout);
        Assert.Contains($"wrote {table}", stdout);
        Assert.Equal(30, NasBench101Table.Read(table).Count);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Import_to_a_chosen_file()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "nasbench_full.tfrecord");
        TfRecordTestFile.Write(source, NasBench101Records.FromApiFile(withBudget36: true));
        string table = Path.Combine(dir.Path, "elsewhere", "t.bin");
        var (code, stdout, _) = Run("data", "import", "nb101", "--from", source, "--to", table);
        Assert.Equal(0, code);
        Assert.Contains("budgets 36, 108 epochs", stdout);
        Assert.Equal([36, 108], NasBench101Table.Read(table).Budgets);
    }

    [Fact]
    public void A_corrupted_file_is_one_line_with_the_byte_offset_and_leaves_no_table()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "nasbench_only108.tfrecord");
        long[] offsets = TfRecordTestFile.Write(source, NasBench101Records.FromApiFile());
        byte[] bytes = File.ReadAllBytes(source);
        bytes[offsets[7] + 30] ^= 0x08;
        File.WriteAllBytes(source, bytes);
        string table = Path.Combine(dir.Path, "out", "t.bin");

        var (code, stdout, stderr) = Run("data", "import", "nb101", "--from", source, "--to", table);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"weaknas: nasbench_only108.tfrecord: record 8 at byte {offsets[7]}: data checksum mismatch", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")) && Directory.GetFiles(Path.Combine(dir.Path, "out")).Length > 0);
    }

    [Theory]
    [InlineData("unknown benchmark 'nb201'; expected one of nb101", "data", "import", "nb201", "--from", "x.tfrecord", "--to", "t.bin")]
    [InlineData("--from '/nonexistent/x.tfrecord' does not exist", "data", "import", "nb101", "--from", "/nonexistent/x.tfrecord", "--to", "t.bin")]
    [InlineData("--from", "data", "import", "nb101", "--to", "t.bin")]
    [InlineData("benchmark data folder '/nonexistent/data' does not exist", "data", "import", "nb101", "--from", "DATA_FILE", "--data", "/nonexistent/data")]
    public void User_errors_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "one.tfrecord");
        TfRecordTestFile.Write(source, NasBench101Records.FromApiFile().Take(1).ToList());
        var (code, stdout, stderr) = Run(args.Select(a => a == "DATA_FILE" ? source : a).ToArray());
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
