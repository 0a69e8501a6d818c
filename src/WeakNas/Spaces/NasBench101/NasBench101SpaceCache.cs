using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using WeakNas.Data;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// Keeps the enumerated NAS-Bench-101 space on disk so that later runs load it in a fraction of a second
/// instead of enumerating it again. The file (<see cref="FileName"/> in a cache folder) is little-endian:
/// the magic <c>WNB101SP</c>, format version, cell count, the cell codes (4 bytes each) in index order,
/// their module hashes (16 bytes each), and the CRC-32C of everything before it — about 8.5 MB. A file that
/// is missing, of another version, of the wrong size or count, or fails its checksum is rebuilt; it is
/// written atomically (temporary file, then rename), so concurrent runs never read a partial cache.
/// </summary>
public static class NasBench101SpaceCache
{
    /// <summary>The cache file's name.</summary>
    public const string FileName = "nb101_space_v1.bin";

    /// <summary>Version of the layout.</summary>
    public const int FormatVersion = 1;

    /// <summary>The environment variable naming the cache folder.</summary>
    public const string EnvironmentVariable = "WEAKNAS_CACHE";

    private const int HeaderSize = 16;
    private static ReadOnlySpan<byte> Magic => "WNB101SP"u8;

    /// <summary>
    /// The cache folder: <paramref name="option"/> when given, else <c>$WEAKNAS_CACHE</c>, else
    /// <c>~/.cache/weaknas</c>.
    /// </summary>
    public static string ResolveFolder(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Path.GetFullPath(option);
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home))
            throw new InvalidInputException($"no cache folder: set {EnvironmentVariable} (no home folder to put ~/.cache/weaknas in)");
        return Path.Combine(home, ".cache", "weaknas");
    }

    /// <summary>
    /// The whole space from <paramref name="folder"/>/<see cref="FileName"/>, enumerated and cached first if
    /// the file is missing or unusable.
    /// </summary>
    /// <param name="threads">Cores for enumerating (default: <see cref="Numerics.Parallelism.MaxThreads"/>).</param>
    public static NasBench101CacheLoad LoadOrBuild(string folder, int? threads = null) =>
        LoadOrBuild(folder, () => NasBench101Enumerator.Enumerate(threads));

    /// <summary>As <see cref="LoadOrBuild(string, int?)"/>, with the enumeration supplied (tests reuse one).</summary>
    internal static NasBench101CacheLoad LoadOrBuild(string folder, Func<NasBench101Space> enumerate)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = Path.Combine(folder, FileName);
        var clock = Stopwatch.StartNew();
        if (TryLoad(path, out var cached, out string? problem))
            return new NasBench101CacheLoad(cached, path, Built: false, Reason: null, clock.Elapsed.TotalSeconds);
        var space = enumerate();
        try
        {
            Write(path, space);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write the NAS-Bench-101 space cache {path}: {e.Message}", e);
        }
        return new NasBench101CacheLoad(space, path, Built: true, problem, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Reads a cache file; false with the reason when it is missing or unusable.</summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out NasBench101Space? space, [NotNullWhen(false)] out string? problem)
    {
        space = null;
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                problem = "no cache file yet";
                return false;
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read it: {e.Message}";
            return false;
        }

        const int Entry = 4 + NasBench101Hash.ByteLength;
        if (bytes.Length < HeaderSize + 4 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            problem = "not a NAS-Bench-101 space cache (wrong magic)";
            return false;
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion)
        {
            problem = $"format version {version}, expected {FormatVersion}";
            return false;
        }
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        if (count != NasBench101Enumerator.CellCount)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"{count} cells, expected {NasBench101Enumerator.CellCount}");
            return false;
        }
        long expected = HeaderSize + (long)count * Entry + 4;
        if (bytes.Length != expected)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"{bytes.Length} bytes, expected {expected} (truncated or damaged)");
            return false;
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        uint actual = Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4));
        if (stored != actual)
        {
            problem = $"checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8})";
            return false;
        }

        uint[] codes = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan(HeaderSize, 4 * count)).ToArray();
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < codes.Length; i++) codes[i] = BinaryPrimitives.ReverseEndianness(codes[i]);
        var hashes = new NasBench101Hash[count];
        int at = HeaderSize + 4 * count;
        for (int i = 0; i < count; i++, at += NasBench101Hash.ByteLength)
            hashes[i] = NasBench101Hash.FromBytes(bytes.AsSpan(at, NasBench101Hash.ByteLength));
        for (int i = 0; i < count; i++)
        {
            if (!NasBench101Cell.IsValidCode(codes[i], out string? invalid))
            {
                problem = $"entry {i} is not a valid cell ({invalid})";
                return false;
            }
        }
        space = NasBench101Space.FromTrustedRows(codes, hashes, complete: true);
        problem = null;
        return true;
    }

    /// <summary>Writes the whole space to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, NasBench101Space space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!space.IsComplete) throw new ArgumentException("only the whole space is cached", nameof(space));
        int count = space.Count;
        var bytes = new byte[HeaderSize + count * (4 + NasBench101Hash.ByteLength) + 4];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), count);
        var codes = space.Codes;
        for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderSize + 4 * i), codes[i]);
        var hashes = space.Hashes;
        int at = HeaderSize + 4 * count;
        for (int i = 0; i < count; i++, at += NasBench101Hash.ByteLength) hashes[i].WriteBytes(bytes.AsSpan(at));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
