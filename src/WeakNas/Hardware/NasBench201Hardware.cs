using WeakNas.Benchmarks;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Hardware;

/// <summary>
/// NAS-Bench-201's hardware metrics: the latency of every cell on 23 devices (<c>nasbench201/nb201_latency.csv</c>,
/// milliseconds; GPUs at batch 1, 32 and 256, server CPUs, phones, a Raspberry Pi 4, an FPGA and Eyeriss) and the
/// parameter count of the network for the benchmark's dataset.
/// </summary>
public static class NasBench201Hardware
{
    public const string LatencyFile = "nb201_latency.csv";

    /// <summary>The latency table's path inside a data folder.</summary>
    public const string LatencyPath = "nasbench201/" + LatencyFile;

    private static readonly string[] KeyColumns = ["index", "arch_str"];

    /// <summary>Every device column of the latency table, in the table's order; each array is indexed by benchmark index.</summary>
    public static IReadOnlyList<(string Device, double[] Latency)> LoadLatency(string dataFolder) => LoadLatency(BenchmarkData.FromFolder(dataFolder));

    /// <summary>Every device column of the latency table, from the data folder or the embedded copy.</summary>
    public static IReadOnlyList<(string Device, double[] Latency)> LoadLatency(BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var table = data.ReadTable(LatencyPath);
        var space = NasBench201Space.Instance;
        int indexColumn = table.Column("index"), archColumn = table.Column("arch_str");
        var devices = table.ColumnNames.Where(c => !KeyColumns.Contains(c)).ToList();
        if (devices.Count == 0) throw new InvalidInputException($"{table.FileName}: no device columns besides index and arch_str");
        var columns = devices.Select(table.Column).ToArray();
        var values = devices.Select(_ => new double[space.Count]).ToArray();
        var seen = new bool[space.Count];
        for (int row = 0; row < table.Rows.Count; row++)
        {
            int index = NasBench201Benchmark.CheckedIndex(table, row, indexColumn, archColumn, space);
            if (seen[index]) throw new InvalidInputException($"{table.FileName} line {table.LineOf(row)}: index {index} appears twice");
            seen[index] = true;
            for (int d = 0; d < devices.Count; d++)
            {
                double latency = table.Number(row, columns[d]);
                if (latency < 0)
                    throw new InvalidInputException($"{table.FileName} line {table.LineOf(row)}: column '{devices[d]}' has '{table.Text(row, columns[d])}', expected a latency of at least 0 ms");
                values[d][index] = latency;
            }
        }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
            throw new InvalidInputException($"{table.FileName}: no row for index {missing} ({table.Rows.Count} rows, expected {space.Count})");
        return devices.Select((device, d) => (device, values[d])).ToList();
    }

    /// <summary>Parameters for the benchmark's dataset and, when given, the latency table.</summary>
    public static ArchitectureMetrics Metrics(NasBench201Benchmark benchmark, IReadOnlyList<(string Device, double[] Latency)>? latency)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        int count = benchmark.Space.Count;
        var parameters = new double[count];
        for (int i = 0; i < count; i++) parameters[i] = benchmark.Parameters(i);
        return new ArchitectureMetrics($"NAS-Bench-201 {benchmark.Dataset}", count, parameters, latency ?? []);
    }
}
