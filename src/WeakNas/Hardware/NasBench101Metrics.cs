using WeakNas.Benchmarks;

namespace WeakNas.Hardware;

/// <summary>NAS-Bench-101's cost metrics: only the parameter count is known (no latency was measured).</summary>
public static class NasBench101Metrics
{
    public static ArchitectureMetrics For(NasBench101Benchmark benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        int count = benchmark.Space.Count;
        var parameters = new double[count];
        for (int i = 0; i < count; i++) parameters[i] = benchmark.Table.Parameters(benchmark.TableRow(i)) / 1e6;
        return new ArchitectureMetrics("NAS-Bench-101", count, parameters, []);
    }
}
