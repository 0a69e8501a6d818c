using System.Text;
using WeakNas.Benchmarks;
using WeakNas.Data;
using WeakNas.Spaces.NasBench101;
using WeakNas.Tests.Spaces.NasBench101;

namespace WeakNas.Tests.Data;

public class NasBench101ImporterTests
{
    [Fact]
    public void Imports_an_official_layout_file_and_keeps_every_repeat()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "nasbench_only108.tfrecord");
        string tablePath = Path.Combine(dir.Path, "out", "nb101_table.bin");
        var records = NasBench101Records.FromApiFile();
        TfRecordTestFile.Write(source, records);

        var result = NasBench101Importer.Import(source, tablePath, threads: 1);
        Assert.Equal(90, result.Records);
        Assert.Equal(30, result.Cells);
        Assert.Equal([108], result.Budgets);
        Assert.Equal(3, result.Repeats);
        Assert.Equal(Path.GetFullPath(tablePath), result.TablePath);

        var table = NasBench101Table.Read(tablePath);
        var cells = NasBench101Files.ApiCells();
        Assert.Equal(cells.Count, table.Count);
        for (int row = 0; row < cells.Count; row++)
        {
            var expected = cells[row];
            Assert.Equal(expected.Hash, table.Hash(row).ToString());
            Assert.Equal(NasBench101Cell.Create(expected.Matrix, expected.Ops), table.Cell(row));
            Assert.Equal(expected.Parameters, table.Parameters(row));
            for (int r = 0; r < 3; r++)
            {
                // The benchmark's numbers are float32 values; the table keeps them exactly.
                Assert.Equal(expected.Runs[r].Valid, table.ValidationAccuracy(row, 0, r), 1e-7);
                Assert.Equal(expected.Runs[r].Test, table.TestAccuracy(row, 0, r), 1e-7);
                Assert.Equal(expected.Runs[r].Time, table.TrainingTime(row, 0, r), 1e-3);
            }
        }
        Assert.Equal([NasBench101Table.DefaultFileName], Directory.GetFiles(Path.Combine(dir.Path, "out")).Select(Path.GetFileName));
    }

    [Fact]
    public void Imports_several_budgets_as_the_full_file_has()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "nasbench_full.tfrecord");
        TfRecordTestFile.Write(source, NasBench101Records.FromApiFile(withBudget36: true));
        string tablePath = Path.Combine(dir.Path, "t.bin");
        var result = NasBench101Importer.Import(source, tablePath, threads: 2);
        Assert.Equal(180, result.Records);
        Assert.Equal([36, 108], result.Budgets);
        var table = NasBench101Table.Read(tablePath);
        var first = NasBench101Files.ApiCells()[0];
        Assert.Equal(first.Runs[2].HalfValid, table.ValidationAccuracy(0, table.BudgetIndex(36), 2), 1e-7);
        Assert.Equal(first.Runs[2].Valid, table.ValidationAccuracy(0, table.BudgetIndex(108), 2), 1e-7);

        // The imported table is a benchmark like the API file it came from.
        var fromTable = NasBench101Benchmark.LoadTable(tablePath);
        var fromJson = NasBench101Benchmark.LoadApiJson(NasBench101Files.Api);
        Assert.Equal(fromJson.OptimumIndex, fromTable.OptimumIndex);
        for (int i = 0; i < fromJson.Space.Count; i++)
        {
            Assert.Equal(fromJson.SearchAccuracy(i), fromTable.SearchAccuracy(i), 1e-5);
            Assert.Equal(fromJson.TestAccuracy(i), fromTable.TestAccuracy(i), 1e-5);
        }
    }

    [Theory]
    [InlineData(20, "data checksum mismatch")]
    [InlineData(3, "length checksum mismatch")]
    public void A_corrupted_record_is_reported_by_byte_offset_and_no_table_is_left(int at, string expected)
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "nasbench_only108.tfrecord");
        long[] offsets = TfRecordTestFile.Write(source, NasBench101Records.FromApiFile());
        byte[] bytes = File.ReadAllBytes(source);
        bytes[offsets[41] + at] ^= 0x01;
        File.WriteAllBytes(source, bytes);
        string folder = Path.Combine(dir.Path, "data", "nasbench101");
        string tablePath = Path.Combine(folder, NasBench101Table.DefaultFileName);

        var e = Assert.Throws<InvalidInputException>(() => NasBench101Importer.Import(source, tablePath));
        Assert.Contains($"nasbench_only108.tfrecord: record 42 at byte {offsets[41]}: {expected}", e.Message);
        Assert.False(File.Exists(tablePath));
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);
    }

    [Fact]
    public void A_failed_import_leaves_an_existing_table_as_it_was()
    {
        using var dir = new TemporaryFolder();
        string good = Path.Combine(dir.Path, "good.tfrecord");
        TfRecordTestFile.Write(good, NasBench101Records.FromApiFile());
        string tablePath = Path.Combine(dir.Path, "t", "nb101_table.bin");
        NasBench101Importer.Import(good, tablePath);
        byte[] before = File.ReadAllBytes(tablePath);

        string truncated = Path.Combine(dir.Path, "truncated.tfrecord");
        File.WriteAllBytes(truncated, File.ReadAllBytes(good)[..^7]);
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Importer.Import(truncated, tablePath));
        Assert.Contains("record 90 at byte", e.Message);
        Assert.Contains("the file ends inside the record", e.Message);
        Assert.Equal(before, File.ReadAllBytes(tablePath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(tablePath)!));
    }

    [Fact]
    public void A_module_hash_that_is_not_its_cells_hash_is_refused()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "wrong.tfrecord");
        var cells = NasBench101Files.ApiCells();
        var records = NasBench101Records.FromApiFile();
        records[5] = NasBench101Records.Record(cells[5], 108, 0.9, 0.9, 100, hash: "00000000000000000000000000000001");
        long[] offsets = TfRecordTestFile.Write(source, records);
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Importer.Import(source, Path.Combine(dir.Path, "t.bin")));
        Assert.Contains($"record 6 at byte {offsets[5]}: module hash 00000000000000000000000000000001 is not the hash of its cell", e.Message);
        Assert.Contains($"(which is {cells[5].Hash})", e.Message);
        Assert.False(File.Exists(Path.Combine(dir.Path, "t.bin")));
    }

    [Theory]
    [InlineData("{\"a\": 1}", "the record is not a JSON array")]
    [InlineData("[\"00\", 108, \"0100\", \"input,output\", \"\"]", "module hash '00' is not 32 hex digits")]
    [InlineData("[\"00000000000000000000000000000001\", \"x\", \"0100\", \"input,output\", \"\"]", "item 2 (epochs) is not a number")]
    [InlineData("[\"00000000000000000000000000000001\", 108, \"0100\", \"input,output\", \"\"]", "ModelMetrics has no evaluation_data")]
    [InlineData("[\"00000000000000000000000000000001\", 108, \"0100\", \"input,output\", \"Cg==\"]", "ModelMetrics protobuf: varint runs past the end")]
    [InlineData("[\"00000000000000000000000000000001\", 108, \"0000\", \"input,output\", \"CgA=\"]", "invalid cell (adjacency 0000, ops input,output): no path")]
    [InlineData("[\"00000000000000000000000000000001\", 108, \"010\", \"input,output\", \"CgA=\"]", "3 digits, not n·n")]
    [InlineData("[\"00000000000000000000000000000001\", 108, \"0100\", \"input,output\", \"CgA=\", 7]", "more than 5 items")]
    public void A_malformed_row_is_reported_by_record_and_offset(string json, string expected)
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "rows.tfrecord");
        var records = NasBench101Records.FromApiFile().Take(2).ToList();
        records.Add(Encoding.UTF8.GetBytes(json));
        long[] offsets = TfRecordTestFile.Write(source, records);
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Importer.Import(source, Path.Combine(dir.Path, "t.bin")));
        Assert.StartsWith($"rows.tfrecord: record 3 at byte {offsets[2]}: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "empty.tfrecord");
        File.WriteAllBytes(source, []);
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Importer.Import(source, Path.Combine(dir.Path, "t.bin")));
        Assert.Contains("no records", e.Message);
    }

    /// <summary>
    /// Every record is checked, not only the first of its cell: the 2nd and 3rd repeat of cell 4 (records 35 and 65) carry
    /// garbage, or numbers no training run gives; the import names the record and writes nothing.
    /// </summary>
    [Theory]
    [InlineData(1, "adjacency", "has '2' at position")]
    [InlineData(2, "ops", "is not the cell of its record 5")]
    [InlineData(1, "valid", "validation accuracy 2.5 is not a fraction in [0, 1]")]
    [InlineData(2, "test", "test accuracy -1 is not a fraction in [0, 1]")]
    [InlineData(1, "nan", "validation accuracy NaN is not a fraction")]
    [InlineData(2, "inf", "test accuracy Infinity is not a fraction")]
    [InlineData(1, "time", "training time -3 s is not a finite number of 0 or more")]
    [InlineData(2, "params", "trainable parameters, its record 5 says")]
    public void Every_repeat_of_every_cell_is_checked_and_named(int repeat, string fault, string expected)
    {
        using var dir = new TemporaryFolder();
        string source = Path.Combine(dir.Path, "repeats.tfrecord");
        var cells = NasBench101Files.ApiCells();
        var records = NasBench101Records.FromApiFile();
        var cell = cells[4];
        var run = cell.Runs[repeat];
        int index = repeat * cells.Count + 4;
        string ops = string.Join(',', cell.Ops);
        records[index] = fault switch
        {
            "adjacency" => TfRecordTestFile.Row(cell.Hash, 108, "2" + cell.RawAdjacency[1..], ops, Metrics(cell.Parameters, run.Valid, run.Test, run.Time)),
            "ops" => TfRecordTestFile.Row(cell.Hash, 108, cells[7].RawAdjacency, string.Join(',', cells[7].Ops), Metrics(cell.Parameters, run.Valid, run.Test, run.Time)),
            "valid" => TfRecordTestFile.Row(cell.Hash, 108, cell.RawAdjacency, ops, Metrics(cell.Parameters, 2.5, run.Test, run.Time)),
            "test" => TfRecordTestFile.Row(cell.Hash, 108, cell.RawAdjacency, ops, Metrics(cell.Parameters, run.Valid, -1, run.Time)),
            "nan" => TfRecordTestFile.Row(cell.Hash, 108, cell.RawAdjacency, ops, Metrics(cell.Parameters, double.NaN, run.Test, run.Time)),
            "inf" => TfRecordTestFile.Row(cell.Hash, 108, cell.RawAdjacency, ops, Metrics(cell.Parameters, run.Valid, double.PositiveInfinity, run.Time)),
            "time" => TfRecordTestFile.Row(cell.Hash, 108, cell.RawAdjacency, ops, Metrics(cell.Parameters, run.Valid, run.Test, -3)),
            _ => TfRecordTestFile.Row(cell.Hash, 108, cell.RawAdjacency, ops, Metrics(cell.Parameters + 1, run.Valid, run.Test, run.Time)),
        };
        long[] offsets = TfRecordTestFile.Write(source, records);
        string table = Path.Combine(dir.Path, "t.bin");
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Importer.Import(source, table, threads: 1));
        Assert.StartsWith($"repeats.tfrecord: record {index + 1} at byte {offsets[index]}: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.False(File.Exists(table));
    }

    private static byte[] Metrics(int parameters, double valid, double test, double time) =>
        TfRecordTestFile.Metrics(parameters, time + 10, [TfRecordTestFile.Evaluation(108, time, 1.0, valid, test, "model.ckpt-108")]);
}
