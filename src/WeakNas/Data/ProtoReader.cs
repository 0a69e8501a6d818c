using System.Buffers.Binary;

namespace WeakNas.Data;

/// <summary>
/// A reader of the protocol buffers wire format, enough for NAS-Bench-101's ModelMetrics: varints, fixed
/// 64- and 32-bit values, length-delimited fields, and skipping unknown fields. Malformed input throws
/// <see cref="FormatException"/> saying what and where.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>Wire type of varints.</summary>
    public const int Varint = 0;

    /// <summary>Wire type of fixed 64-bit values (double, fixed64).</summary>
    public const int Fixed64 = 1;

    /// <summary>Wire type of length-delimited values (strings, bytes, messages).</summary>
    public const int LengthDelimited = 2;

    /// <summary>Wire type of fixed 32-bit values (float, fixed32).</summary>
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Reads the next field's key; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (_position >= _data.Length) return false;
        int at = _position;
        ulong key = ReadVarint();
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        if (key >> 3 is 0 or > int.MaxValue) throw new FormatException($"field number {key >> 3} at byte {at} is not valid");
        return true;
    }

    /// <summary>A base-128 varint of up to 10 bytes.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw new FormatException($"varint runs past the end of the message at byte {_position}");
            byte b = _data[_position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException($"varint longer than 10 bytes ending at byte {_position}");
    }

    /// <summary>An int32 field: a varint, negative values sign-extended to 64 bits.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    /// <summary>8 little-endian bytes.</summary>
    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>4 little-endian bytes.</summary>
    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>A double field.</summary>
    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    /// <summary>A length-delimited field's bytes.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
            throw new FormatException($"length {length} at byte {_position} runs past the end of the message ({_data.Length - _position} bytes left)");
        return Take((int)length);
    }

    /// <summary>Skips a field's value of the given wire type.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Take(8); break;
            case LengthDelimited: ReadLengthDelimited(); break;
            case Fixed32: Take(4); break;
            default: throw new FormatException($"wire type {wireType} before byte {_position} is not supported");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
            throw new FormatException($"{count}-byte value at byte {_position} runs past the end of the message ({_data.Length - _position} bytes left)");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
