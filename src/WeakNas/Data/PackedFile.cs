using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace WeakNas.Data;

/// <summary>
/// The compact form in which the library embeds public benchmark files: a small versioned header, then the file's
/// content compressed with Brotli. A CSV table is stored by columns (decimal columns as a sign-and-scale byte plus a
/// variable-length integer mantissa per value, other columns as text), which Brotli compresses far better than the
/// rows; any other file is stored as its bytes. Unpacking gives back the original file byte for byte: <see cref="Pack"/>
/// refuses a file it could not restore exactly, and the header carries the original's length and SHA-256 and the
/// CRC-32C of the compressed body, checked on every read.
/// <code>
/// "WNPK" | version u8 (1) | kind u8 (1 table, 2 bytes) | name (u16 length, UTF-8) | original length u64 |
/// original SHA-256 (32 bytes) | body length u32 | body CRC-32C u32 | body (Brotli)
/// table body: line ending u8 (0 "\n", 1 "\r\n") | final newline u8 | columns varint | rows varint |
///             per column: name (varint length, UTF-8) | kind u8 (0 text, 1 decimal) | values
/// text values: per row varint length, UTF-8 | decimal values: per row a byte (scale | 0x80 when negative), then
///             per row the mantissa as a varint
/// </code>
/// </summary>
public static class PackedFile
{
    private static ReadOnlySpan<byte> Magic => "WNPK"u8;
    private const byte Version = 1;
    private const byte KindTable = 1, KindBytes = 2;
    private const byte ColumnText = 0, ColumnDecimal = 1;
    private const int MaxMantissaDigits = 18;

    /// <summary>What the header says about a packed file.</summary>
    public sealed record Info(string Name, bool IsTable, long OriginalLength, string OriginalSha256, int PackedLength);

    /// <summary>
    /// Packs <paramref name="original"/> (the file's bytes) under <paramref name="name"/>: as a table when
    /// <paramref name="asTable"/> (a comma-separated file with a header row and no quoting), else as bytes.
    /// </summary>
    public static byte[] Pack(string name, ReadOnlySpan<byte> original, bool asTable)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] body = asTable ? TableBody(name, original) : original.ToArray();
        byte[] compressed = Compress(body);
        var header = new MemoryStream();
        header.Write(Magic);
        header.WriteByte(Version);
        header.WriteByte(asTable ? KindTable : KindBytes);
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        WriteUInt16(header, checked((ushort)nameBytes.Length));
        header.Write(nameBytes);
        WriteUInt64(header, (ulong)original.Length);
        header.Write(SHA256.HashData(original));
        WriteUInt32(header, checked((uint)compressed.Length));
        WriteUInt32(header, Crc32C.Compute(compressed));
        header.Write(compressed);
        byte[] packed = header.ToArray();

        // Never store what cannot be given back exactly.
        if (!Unpack(packed, name).AsSpan().SequenceEqual(original))
            throw new InvalidInputException($"{name}: the packed form does not restore the file exactly");
        return packed;
    }

    /// <summary>The header of a packed file; <paramref name="what"/> names it in errors.</summary>
    public static Info ReadInfo(ReadOnlySpan<byte> packed, string what) => Parse(packed, what).Info;

    /// <summary>The original file's bytes, checked against the header's length, SHA-256 and CRC-32C.</summary>
    public static byte[] Unpack(ReadOnlySpan<byte> packed, string what)
    {
        var (info, body) = Parse(packed, what);
        byte[] content = Decompress(body, what);
        byte[] original = info.IsTable ? RenderTable(content, what) : content;
        if (original.LongLength != info.OriginalLength || Convert.ToHexStringLower(SHA256.HashData(original)) != info.OriginalSha256)
            throw new InvalidInputException($"{what}: unpacked content does not match the recorded SHA-256 of {info.Name}");
        return original;
    }

    private static (Info Info, ReadOnlyMemory<byte> Body) Parse(ReadOnlySpan<byte> packed, string what)
    {
        var reader = new SpanCursor(packed, what);
        if (!reader.Take(4).SequenceEqual(Magic)) throw new InvalidInputException($"{what}: not a packed benchmark file (no WNPK header)");
        byte version = reader.Byte();
        if (version != Version) throw new InvalidInputException($"{what}: packed format version {version}, this build reads version {Version}");
        byte kind = reader.Byte();
        if (kind is not (KindTable or KindBytes)) throw new InvalidInputException($"{what}: unknown packed kind {kind}");
        string name = Encoding.UTF8.GetString(reader.Take(reader.UInt16()));
        long length = checked((long)reader.UInt64());
        string sha = Convert.ToHexStringLower(reader.Take(32));
        int bodyLength = checked((int)reader.UInt32());
        uint crc = reader.UInt32();
        var body = reader.Take(bodyLength);
        if (!reader.AtEnd) throw new InvalidInputException($"{what}: {reader.Remaining} bytes after the packed body");
        if (Crc32C.Compute(body) != crc) throw new InvalidInputException($"{what}: checksum mismatch (the packed file is damaged)");
        return (new Info(name, kind == KindTable, length, sha, packed.Length), body.ToArray());
    }

    private static byte[] TableBody(string name, ReadOnlySpan<byte> original)
    {
        string text = Encoding.UTF8.GetString(original);
        bool crlf = text.Contains("\r\n", StringComparison.Ordinal);
        string newline = crlf ? "\r\n" : "\n";
        bool finalNewline = text.EndsWith(newline, StringComparison.Ordinal);
        var lines = (finalNewline ? text[..^newline.Length] : text).Split(newline);
        if (lines.Length == 0 || lines[0].Length == 0) throw new InvalidInputException($"{name}: empty table, expected a header row");
        var names = lines[0].Split(',');
        var rows = new string[lines.Length - 1][];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = lines[r + 1].Split(',');
            if (rows[r].Length != names.Length)
                throw new InvalidInputException($"{name} line {r + 2}: {rows[r].Length} fields, expected {names.Length} as in the header");
        }

        var body = new MemoryStream();
        body.WriteByte(crlf ? (byte)1 : (byte)0);
        body.WriteByte(finalNewline ? (byte)1 : (byte)0);
        WriteVarint(body, (ulong)names.Length);
        WriteVarint(body, (ulong)rows.Length);
        for (int c = 0; c < names.Length; c++)
        {
            WriteText(body, names[c]);
            var decimals = new (ulong Mantissa, byte Scale)[rows.Length];
            bool isDecimal = true;
            for (int r = 0; r < rows.Length && isDecimal; r++) isDecimal = TryDecimal(rows[r][c], out decimals[r]);
            body.WriteByte(isDecimal ? ColumnDecimal : ColumnText);
            if (isDecimal)
            {
                foreach (var d in decimals) body.WriteByte(d.Scale);
                foreach (var d in decimals) WriteVarint(body, d.Mantissa);
            }
            else
            {
                foreach (var row in rows) WriteText(body, row[c]);
            }
        }
        return body.ToArray();
    }

    /// <summary>A field that <see cref="FormatDecimal"/> gives back exactly: -?digits(.digits)?, at most 18 digits.</summary>
    private static bool TryDecimal(string field, out (ulong Mantissa, byte Scale) value)
    {
        value = default;
        int start = field.StartsWith('-') ? 1 : 0;
        int point = field.IndexOf('.', StringComparison.Ordinal);
        int digits = field.Length - start - (point >= 0 ? 1 : 0);
        if (digits is < 1 or > MaxMantissaDigits || (point >= 0 && (point == start || point == field.Length - 1))) return false;
        ulong mantissa = 0;
        for (int i = start; i < field.Length; i++)
        {
            if (i == point) continue;
            char ch = field[i];
            if (ch is < '0' or > '9') return false;
            mantissa = mantissa * 10 + (ulong)(ch - '0');
        }
        int scale = point >= 0 ? field.Length - point - 1 : 0;
        value = (mantissa, (byte)(scale | (start == 1 ? 0x80 : 0)));
        // Leading zeros such as "007" or "00.5" would not come back; keep those columns as text.
        return FormatDecimal(value.Mantissa, value.Scale) == field;
    }

    private static string FormatDecimal(ulong mantissa, byte scaleAndSign)
    {
        int scale = scaleAndSign & 0x7F;
        string digits = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        string number = scale == 0 ? digits : string.Concat(digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale));
        return (scaleAndSign & 0x80) != 0 ? "-" + number : number;
    }

    private static byte[] RenderTable(byte[] body, string what)
    {
        var reader = new SpanCursor(body, what);
        string newline = reader.Byte() == 1 ? "\r\n" : "\n";
        bool finalNewline = reader.Byte() == 1;
        int columns = checked((int)reader.Varint());
        int rows = checked((int)reader.Varint());
        var names = new string[columns];
        var cells = new string[columns][];
        for (int c = 0; c < columns; c++)
        {
            names[c] = reader.Text();
            byte kind = reader.Byte();
            var values = cells[c] = new string[rows];
            if (kind == ColumnDecimal)
            {
                var scales = reader.Take(rows).ToArray();
                for (int r = 0; r < rows; r++) values[r] = FormatDecimal(reader.Varint(), scales[r]);
            }
            else if (kind == ColumnText)
            {
                for (int r = 0; r < rows; r++) values[r] = reader.Text();
            }
            else
            {
                throw new InvalidInputException($"{what}: column '{names[c]}' has unknown kind {kind}");
            }
        }
        if (!reader.AtEnd) throw new InvalidInputException($"{what}: {reader.Remaining} bytes after the last column");

        var text = new StringBuilder();
        text.AppendJoin(',', names);
        var fields = new string[columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) fields[c] = cells[c][r];
            text.Append(newline).AppendJoin(',', fields);
        }
        if (finalNewline) text.Append(newline);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Compress(byte[] data)
    {
        var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, new BrotliCompressionOptions { Quality = 11 }, leaveOpen: true))
            brotli.Write(data);
        return output.ToArray();
    }

    private static byte[] Decompress(ReadOnlyMemory<byte> data, string what)
    {
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(data.ToArray(), writable: false), CompressionMode.Decompress);
            var output = new MemoryStream();
            brotli.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{what}: the packed body does not decompress: {e.Message}", e);
        }
    }

    private static void WriteText(Stream stream, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        WriteVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static void WriteUInt16(Stream stream, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        stream.Write(b);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        stream.Write(b);
    }

    private static void WriteUInt64(Stream stream, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        stream.Write(b);
    }

    /// <summary>Reads the packed form front to back; running off the end is a one-line error naming the file.</summary>
    private ref struct SpanCursor(ReadOnlySpan<byte> data, string what)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;
        public readonly int Remaining => _data.Length - _position;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > Remaining) throw new InvalidInputException($"{what}: truncated packed file");
            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }

        public byte Byte() => Take(1)[0];
        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidInputException($"{what}: malformed number in the packed file");
        }

        public string Text() => Encoding.UTF8.GetString(Take(checked((int)Varint())));
    }
}
