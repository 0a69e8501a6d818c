using System.Buffers.Binary;
using System.Globalization;

namespace WeakNas.Data;

/// <summary>
/// Reads TFRecord files, the framing of TensorFlow's record files and of the NAS-Bench-101 data: each record
/// is an 8-byte little-endian length, the masked CRC-32C of those 8 bytes (4 bytes), the data, and the
/// masked CRC-32C of the data (4 bytes). Both checksums are verified; a damaged or truncated record is
/// reported as an <see cref="InvalidInputException"/> naming the file, the record and its byte offset.
/// </summary>
public sealed class TfRecordReader : IDisposable
{
    private const int HeaderSize = 12;
    private const int FooterSize = 4;

    private readonly Stream _stream;
    private readonly string _name;
    private readonly bool _leaveOpen;
    private byte[] _buffer = new byte[1 << 12];
    private long _position;
    private int _number;

    /// <param name="stream">The file, positioned at its start.</param>
    /// <param name="name">How messages name the file.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open on dispose.</param>
    public TfRecordReader(Stream stream, string name, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        _stream = stream;
        _name = name;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Opens the file at <paramref name="path"/>; a missing file is an <see cref="InvalidInputException"/>.</summary>
    public static TfRecordReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidInputException($"TFRecord file not found: {path}");
        InputFile.Check(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return new TfRecordReader(stream, Path.GetFileName(path));
    }

    /// <summary>Byte offset of the next record.</summary>
    public long Position => _position;

    /// <summary>Records read so far.</summary>
    public int RecordsRead => _number;

    /// <summary>
    /// Reads the next record; false at the end of the file. The returned data is overwritten by the next read.
    /// </summary>
    public bool TryRead(out TfRecord record)
    {
        record = default;
        long offset = _position;
        int number = _number + 1;
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = _stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got == 0) return false;
        if (got < HeaderSize)
            throw Damaged(number, offset, $"the file ends inside the record header ({got} of {HeaderSize} bytes)");

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        uint storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        uint lengthCrc = Crc32C.Mask(Crc32C.Compute(header[..8]));
        if (storedLengthCrc != lengthCrc)
            throw Damaged(number, offset, $"length checksum mismatch (stored 0x{storedLengthCrc:x8}, computed 0x{lengthCrc:x8})");
        if (length > (ulong)(Array.MaxLength - FooterSize))
            throw Damaged(number, offset, $"record length {length} is larger than this reader supports");

        int size = (int)length + FooterSize;
        if (_buffer.Length < size) _buffer = new byte[Math.Max(size, 2 * _buffer.Length)];
        got = _stream.ReadAtLeast(_buffer.AsSpan(0, size), size, throwOnEndOfStream: false);
        if (got < size)
            throw Damaged(number, offset, $"the file ends inside the record ({got} of {size} bytes after the header)");

        var data = _buffer.AsMemory(0, (int)length);
        uint storedDataCrc = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan((int)length, FooterSize));
        uint dataCrc = Crc32C.Mask(Crc32C.Compute(data.Span));
        if (storedDataCrc != dataCrc)
            throw Damaged(number, offset, $"data checksum mismatch (stored 0x{storedDataCrc:x8}, computed 0x{dataCrc:x8})");

        _position = offset + HeaderSize + size;
        _number = number;
        record = new TfRecord(number, offset, data);
        return true;
    }

    private InvalidInputException Damaged(int number, long offset, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{_name}: record {number} at byte {offset}: {problem}; the file is damaged or incomplete"));

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }
}
