using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// The official NAS-Bench-101 module hash of a cell: a 128-bit MD5 fingerprint, written as 32 lowercase
/// hex digits (e.g. <c>02e5a0247bbdcf2860b7e96f74961594</c>), the key of every benchmark table. Isomorphic
/// cells have the same hash. Ordering is that of the hex strings.
/// </summary>
public readonly struct NasBench101Hash : IEquatable<NasBench101Hash>, IComparable<NasBench101Hash>
{
    /// <summary>Bytes of the digest.</summary>
    public const int ByteLength = 16;

    // The digest's first and last eight bytes read big-endian, so that comparing (high, low) numerically
    // orders hashes as their hex strings sort.
    private readonly ulong _high;
    private readonly ulong _low;

    private NasBench101Hash(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>The official hash of <paramref name="cell"/>.</summary>
    public static NasBench101Hash Of(NasBench101Cell cell) => NasBench101HashFunction.Compute(cell);

    /// <summary>The hash whose digest is <paramref name="digest"/> (16 bytes).</summary>
    public static NasBench101Hash FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != ByteLength)
            throw new ArgumentException($"A module hash has {ByteLength} bytes, got {digest.Length}.", nameof(digest));
        return new NasBench101Hash(BinaryPrimitives.ReadUInt64BigEndian(digest), BinaryPrimitives.ReadUInt64BigEndian(digest[8..]));
    }

    /// <summary>Writes the 16-byte digest.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>Parses 32 hex digits (either case); throws <see cref="FormatException"/> otherwise.</summary>
    public static NasBench101Hash Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException($"'{text}' is not a NAS-Bench-101 module hash (32 hex digits)");

    /// <summary>Parses 32 hex digits (either case).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out NasBench101Hash hash) => TryParse(text.AsSpan(), out hash) && text != null;

    /// <summary>Parses 32 hex digits (either case).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NasBench101Hash hash)
    {
        hash = default;
        if (text.Length != 2 * ByteLength) return false;
        Span<byte> digest = stackalloc byte[ByteLength];
        for (int i = 0; i < ByteLength; i++)
        {
            int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
            if (hi < 0 || lo < 0) return false;
            digest[i] = (byte)(hi << 4 | lo);
        }
        hash = FromBytes(digest);
        return true;
    }

    /// <summary>Parses 32 hex digits given as UTF-8 bytes (either case).</summary>
    internal static bool TryParseUtf8(ReadOnlySpan<byte> text, out NasBench101Hash hash)
    {
        hash = default;
        if (text.Length != 2 * ByteLength) return false;
        Span<byte> digest = stackalloc byte[ByteLength];
        for (int i = 0; i < ByteLength; i++)
        {
            int hi = HexValue((char)text[2 * i]), lo = HexValue((char)text[2 * i + 1]);
            if (hi < 0 || lo < 0) return false;
            digest[i] = (byte)(hi << 4 | lo);
        }
        hash = FromBytes(digest);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>32 lowercase hex digits, as the benchmark writes it.</summary>
    public override string ToString() => string.Create(2 * ByteLength, this, static (chars, hash) =>
    {
        Span<byte> digest = stackalloc byte[ByteLength];
        hash.WriteBytes(digest);
        for (int i = 0; i < ByteLength; i++)
        {
            chars[2 * i] = "0123456789abcdef"[digest[i] >> 4];
            chars[2 * i + 1] = "0123456789abcdef"[digest[i] & 15];
        }
    });

    /// <inheritdoc />
    public bool Equals(NasBench101Hash other) => _high == other._high && _low == other._low;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NasBench101Hash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)_low ^ (int)(_low >> 32);

    /// <inheritdoc />
    public int CompareTo(NasBench101Hash other) => _high != other._high ? _high.CompareTo(other._high) : _low.CompareTo(other._low);

    /// <summary>Equality.</summary>
    public static bool operator ==(NasBench101Hash left, NasBench101Hash right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NasBench101Hash left, NasBench101Hash right) => !left.Equals(right);

    /// <summary>Hex-string order.</summary>
    public static bool operator <(NasBench101Hash left, NasBench101Hash right) => left.CompareTo(right) < 0;

    /// <summary>Hex-string order.</summary>
    public static bool operator >(NasBench101Hash left, NasBench101Hash right) => left.CompareTo(right) > 0;

    /// <summary>Hex-string order.</summary>
    public static bool operator <=(NasBench101Hash left, NasBench101Hash right) => left.CompareTo(right) <= 0;

    /// <summary>Hex-string order.</summary>
    public static bool operator >=(NasBench101Hash left, NasBench101Hash right) => left.CompareTo(right) >= 0;
}
