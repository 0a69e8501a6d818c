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

    /// <summary>
    /// Loads a table: a .json file is read as the 1k sample or the official API layout (by its shape), any other
    /// file as an imported table; the name of an embedded sample (<c>nb101_sample_1k.json</c>, <c>nb101_api_30.json</c>)
    /// that is not a file reads the embedded copy. With no file: the imported table in the data folder, or, when no data
    /// folder is given at all, the embedded 1k sample (<paramref name="note"/> says so).
    /// </summary>
    public static NasBench101Benchmark Load(string? table, Func<BenchmarkData> data, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.IsNullOrEmpty(table))
        {
            var source = data();
            if (source.Folder != null) return NasBench101Benchmark.Load(source.Folder);
            note?.Invoke($"nb101: no data folder with an imported table (--data or {DataFolder.EnvironmentVariable}); searching the embedded {NasBench101Benchmark.SampleFile} (1,000 cells)");
            return NasBench101Benchmark.LoadEmbeddedSample(source, NasBench101Benchmark.SampleFile);
        }
        if (!File.Exists(table))
        {
            if (table is NasBench101Benchmark.SampleFile or NasBench101Benchmark.ApiFile) return NasBench101Benchmark.LoadEmbeddedSample(BenchmarkData.Embedded, table);
            throw new InvalidInputException($"NAS-Bench-101 table not found: {table} (the embedded samples are named {NasBench101Benchmark.SampleFile} and {NasBench101Benchmark.ApiFile})");
        }
        if (!table.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return NasBench101Benchmark.LoadTable(table);
        WeakNas.Data.InputFile.Check(table);
        using var reader = new StreamReader(table);
        var start = new char[4096];
        int read = reader.ReadBlock(start, 0, start.Length);
        // The official API layout nests "module_adjacency" under each hash; the 1k sample is column-wise.
        bool apiLayout = new string(start, 0, read).Contains("\"module_adjacency\"", StringComparison.Ordinal);
        return apiLayout ? NasBench101Benchmark.LoadApiJson(table) : NasBench101Benchmark.LoadSample(table);
    }
}
