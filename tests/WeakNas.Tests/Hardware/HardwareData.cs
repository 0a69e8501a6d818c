using WeakNas.Benchmarks;
using WeakNas.Hardware;

namespace WeakNas.Tests.Hardware;

/// <summary>The real NAS-Bench-201 tables, loaded once for the hardware tests.</summary>
internal static class HardwareData
{
    private static readonly Lazy<NasBench201Benchmark> LazyCifar10 = new(() => NasBench201Benchmark.Load(TestData.Folder, "cifar10"));
    private static readonly Lazy<IReadOnlyList<(string Device, double[] Latency)>> LazyLatency = new(() => NasBench201Hardware.LoadLatency(TestData.Folder));
    private static readonly Lazy<ArchitectureMetrics> LazyMetrics = new(() => NasBench201Hardware.Metrics(Cifar10, Latency));

    public static NasBench201Benchmark Cifar10 => LazyCifar10.Value;

    public static IReadOnlyList<(string Device, double[] Latency)> Latency => LazyLatency.Value;

    /// <summary>CIFAR-10 parameters and every device's latency.</summary>
    public static ArchitectureMetrics Metrics => LazyMetrics.Value;

    public static double[] LatencyOf(string device) => Latency.Single(t => t.Device == device).Latency;

    public static FeasibleSet Resolve(params string[] constraints) => ConstraintSet.Parse(constraints)!.Resolve(Metrics);
}
