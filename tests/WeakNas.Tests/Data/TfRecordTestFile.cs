using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace WeakNas.Tests.Data;

/// <summary>
/// Builds NAS-Bench-101 TFRecord files from the published formats, independently of the library: a bitwise
/// CRC-32C, a small protobuf encoder for ModelMetrics, and the JSON row layout of the official data.
/// </summary>
internal static class TfRecordTestFile
{
    /// <summary>CRC-32C bit by bit (reflected polynomial 0x82F63B78).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8;

    /// <summary>One framed record: length, masked CRC of the length, data, masked CRC of the data.</summary>
    public static byte[] Frame(byte[] data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Mask(Crc32C(record.AsSpan(0, 8))));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Mask(Crc32C(data)));
        return record;
    }

    /// <summary>Writes the framed records one after another; returns each record's byte offset.</summary>
    public static long[] Write(string path, IReadOnlyList<byte[]> records)
    {
        var offsets = new long[records.Count];
        using var stream = File.Create(path);
        for (int i = 0; i < records.Count; i++)
        {
            offsets[i] = stream.Position;
            stream.Write(Frame(records[i]));
        }
        return offsets;
    }

    /// <summary>An EvaluationData message: fields 1..5 doubles, 6 a string.</summary>
    public static byte[] Evaluation(double epoch, double time, double train, double valid, double test, string checkpoint)
    {
        var message = new List<byte>();
        Double(message, 1, epoch);
        Double(message, 2, time);
        Double(message, 3, train);
        Double(message, 4, valid);
        Double(message, 5, test);
        Bytes(message, 6, Encoding.UTF8.GetBytes(checkpoint));
        return [.. message];
    }

    /// <summary>A ModelMetrics message: repeated field 1 evaluation_data, field 2 trainable_parameters, field 3 total_time, optionally an unknown field 9.</summary>
    public static byte[] Metrics(int parameters, double totalTime, IEnumerable<byte[]> evaluations, bool unknownField = false)
    {
        var message = new List<byte>();
        foreach (var evaluation in evaluations) Bytes(message, 1, evaluation);
        Varint(message, 2 << 3 | 0);
        Varint(message, unchecked((ulong)(long)parameters));
        Double(message, 3, totalTime);
        if (unknownField)
        {
            Varint(message, 9 << 3 | 0);
            Varint(message, 300);
        }
        return [.. message];
    }

    /// <summary>The JSON row of one record: [module_hash, epochs, raw_adjacency, raw_operations, base64 metrics].</summary>
    public static byte[] Row(string hash, int epochs, string adjacency, string operations, byte[] metrics) =>
        JsonSerializer.SerializeToUtf8Bytes(new object[] { hash, epochs, adjacency, operations, Convert.ToBase64String(metrics) });

    private static void Double(List<byte> message, int field, double value)
    {
        Varint(message, (ulong)(field << 3 | 1));
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        message.AddRange(bytes.ToArray());
    }

    private static void Bytes(List<byte> message, int field, byte[] value)
    {
        Varint(message, (ulong)(field << 3 | 2));
        Varint(message, (ulong)value.Length);
        message.AddRange(value);
    }

    private static void Varint(List<byte> message, ulong value)
    {
        while (value >= 0x80)
        {
            message.Add((byte)(value | 0x80));
            value >>= 7;
        }
        message.Add((byte)value);
    }
}
