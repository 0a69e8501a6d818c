using WeakNas.Benchmarks;
using WeakNas.Spaces.NasBench101;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>
/// NAS-Bench-101's encodings and WeakNAS defaults: the reference implementation's sequence encoding for the
/// predictor, BANANAS's truncated path encoding, and the paper's 100 initial samples, 10 per iteration, top-100.
/// </summary>
public static class NasBench101Setup
{
    public static SpaceEncodings Encodings(NasBench101Benchmark benchmark) => new(
        () => NasBench101SequenceEncoding.EncodeAll(benchmark.Space), NasBench101SequenceEncoding.Length,
        () => NasBench101PathEncoding.EncodeAll(benchmark.Space), NasBench101PathEncoding.DefaultLength);

    public const int InitialSamples = 100;

    /// <summary>WeakNAS on NAS-Bench-101: the paper's setting (not re-tuned here): 100 random, then 10 per iteration from the top-100, 4×1000 MLP.</summary>
    public static WeakNasOptions Defaults { get; } = WeakNasOptions.Paper with { InitialSamples = InitialSamples };

    /// <summary>
    /// Loads a table: a .json file is read as the 1k sample or the official API layout (by its shape), any other
    /// file as an imported table; with no file, the imported table in the data folder.
    /// </summary>
    public static NasBench101Benchmark Load(string? table, Func<string> dataFolder)
    {
        if (string.IsNullOrEmpty(table)) return NasBench101Benchmark.Load(dataFolder());
        if (!File.Exists(table)) throw new InvalidInputException($"NAS-Bench-101 table not found: {table}");
        if (!table.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return NasBench101Benchmark.LoadTable(table);
        using var reader = new StreamReader(table);
        var start = new char[4096];
        int read = reader.ReadBlock(start, 0, start.Length);
        // The official API layout nests "module_adjacency" under each hash; the 1k sample is column-wise.
        bool apiLayout = new string(start, 0, read).Contains("\"module_adjacency\"", StringComparison.Ordinal);
        return apiLayout ? NasBench101Benchmark.LoadApiJson(table) : NasBench101Benchmark.LoadSample(table);
    }
}
