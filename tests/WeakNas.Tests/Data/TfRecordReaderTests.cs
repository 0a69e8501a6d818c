using System.Text;
using WeakNas.Data;

namespace WeakNas.Tests.Data;

public class TfRecordReaderTests
{
    private static readonly byte[][] Payloads = [Encoding.ASCII.GetBytes("first"), [], Encoding.ASCII.GetBytes(new string('x', 5000)), Encoding.ASCII.GetBytes("last")];

    private static List<TfRecord> ReadAll(string path, out List<byte[]> data)
    {
        var records = new List<TfRecord>();
        data = [];
        using var reader = TfRecordReader.Open(path);
        while (reader.TryRead(out var record))
        {
            records.Add(record);
            data.Add(record.Data.ToArray());
        }
        return records;
    }

    [Fact]
    public void Reads_every_record_with_its_number_and_offset()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "a.tfrecord");
        long[] offsets = TfRecordTestFile.Write(path, Payloads);
        var records = ReadAll(path, out var data);
        Assert.Equal(Payloads, data);
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Number));
        Assert.Equal(offsets, records.Select(r => r.Offset));
    }

    [Fact]
    public void An_empty_file_has_no_records()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "empty.tfrecord");
        File.WriteAllBytes(path, []);
        Assert.Empty(ReadAll(path, out _));
    }

    [Theory]
    [InlineData(12 + 2, "data checksum mismatch")]
    [InlineData(0, "length checksum mismatch")]
    [InlineData(9, "length checksum mismatch")]
    [InlineData(12 + 5000, "data checksum mismatch")]
    public void A_corrupted_record_is_reported_with_its_byte_offset(int at, string expected)
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "bad.tfrecord");
        long[] offsets = TfRecordTestFile.Write(path, Payloads);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offsets[2] + at] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidInputException>(() => ReadAll(path, out _));
        Assert.Contains($"bad.tfrecord: record 3 at byte {offsets[2]}: {expected}", e.Message);
    }

    [Theory]
    [InlineData(5, "ends inside the record header (5 of 12 bytes)")]
    [InlineData(14, "ends inside the record (2 of 8 bytes after the header)")]
    public void A_truncated_file_is_reported_with_the_offset_of_the_incomplete_record(int keep, string expected)
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "short.tfrecord");
        long[] offsets = TfRecordTestFile.Write(path, Payloads);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(offsets[3] + keep)]);
        var e = Assert.Throws<InvalidInputException>(() => ReadAll(path, out _));
        Assert.Contains($"record 4 at byte {offsets[3]}: the file {expected}", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<InvalidInputException>(() => TfRecordReader.Open("/nonexistent/x.tfrecord"));
        Assert.Contains("/nonexistent/x.tfrecord", e.Message);
    }
}
