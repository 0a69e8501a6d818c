using System.Collections.Concurrent;
using System.Reflection;
using WeakNas.Data;

namespace WeakNas.Benchmarks;

/// <summary>
/// The public benchmark files that ship inside the library in <see cref="PackedFile"/> form (made from the shared data
/// folder by <c>weaknas data pack</c>): NAS-Bench-201's three tables and the two NAS-Bench-101 samples. Used whenever no
/// data folder is given, or the given one lacks the file.
/// </summary>
public static class EmbeddedData
{
    /// <summary>Each embedded file, by its path inside a data folder, and whether it is packed as a table.</summary>
    public static IReadOnlyList<(string RelativePath, bool IsTable)> Files { get; } =
    [
        ("nasbench201/nb201_means_200ep.csv", true),
        ("nasbench201/nb201_perseed_200ep.csv", true),
        ("nasbench201/nb201_latency.csv", true),
        ("nasbench101/nb101_sample_1k.json", false),
        ("nasbench101/nb101_api_30.json", false),
        ("ofa/acc_predictor.pth", false),
    ];

    private static readonly ConcurrentDictionary<string, byte[]> Unpacked = new(StringComparer.Ordinal);

    /// <summary>The name of the packed resource of a data-folder path, e.g. <c>nb201_latency.csv.wnpk</c>.</summary>
    public static string PackedName(string relativePath) => Path.GetFileName(relativePath) + ".wnpk";

    /// <summary>True when <paramref name="relativePath"/> (with '/' separators) is one of the embedded files.</summary>
    public static bool Has(string relativePath) => Files.Any(f => f.RelativePath == Normalise(relativePath));

    /// <summary>The packed bytes of an embedded file as they are stored in the assembly.</summary>
    public static byte[] Packed(string relativePath)
    {
        string name = PackedName(Normalise(relativePath));
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream("WeakNas.Embedded." + name)
            ?? throw new InvalidInputException($"no embedded copy of {relativePath}; pass --data DIR or set {DataFolder.EnvironmentVariable}");
        var buffer = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The original file's bytes, unpacked once per process and checked against their recorded SHA-256.</summary>
    public static ReadOnlyMemory<byte> Read(string relativePath) =>
        Unpacked.GetOrAdd(Normalise(relativePath), path => PackedFile.Unpack(Packed(path), "embedded " + PackedName(path)));

    /// <summary>A one-line description: the library version's embedded tables.</summary>
    public static string Description => $"the tables embedded in WeakNas {typeof(EmbeddedData).Assembly.GetName().Version?.ToString(3)}";

    /// <summary>Writes every embedded file into <paramref name="folder"/> as a data folder (nasbench201/, nasbench101/).</summary>
    public static IReadOnlyList<string> Extract(string folder)
    {
        var written = new List<string>();
        foreach (var (relative, _) in Files)
        {
            string path = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
            var bytes = Read(relative);
            AtomicFile.Write(path, s => s.Write(bytes.Span));
            written.Add(path);
        }
        return written;
    }

    private static string Normalise(string relativePath) => relativePath.Replace('\\', '/');
}
