namespace WeakNas.Hardware;

/// <summary>
/// Cost metrics of every architecture of a tabular benchmark, value i for architecture index i: the latency on each
/// measured device (<c>latency:DEVICE</c>, milliseconds) and the parameter count (<c>params</c>, millions). These are
/// what a constraint can bound.
/// </summary>
public sealed class ArchitectureMetrics
{
    public const string Params = "params";
    public const string LatencyPrefix = "latency:";

    private readonly Dictionary<string, double[]> _values = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<string> _devices = [];

    /// <param name="source">What the metrics describe, for messages (e.g. "NAS-Bench-201 cifar10").</param>
    /// <param name="parameters">Parameters in millions per architecture, or null when unknown.</param>
    /// <param name="latency">Per device, its latency in milliseconds per architecture, in the order to list them.</param>
    public ArchitectureMetrics(string source, int count, double[]? parameters, IEnumerable<(string Device, double[] Latency)> latency, double[]? flops = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(latency);
        Source = source;
        Count = count;
        if (parameters != null) Put(Params, parameters);
        if (flops != null) Put(Constraint.Flops, flops);
        foreach (var (device, values) in latency)
        {
            Put(LatencyPrefix + device, values);
            _devices.Add(device);
        }
    }

    public string Source { get; }

    /// <summary>Architectures (the benchmark's index range).</summary>
    public int Count { get; }

    /// <summary>Devices with measured latency, in table order.</summary>
    public IReadOnlyList<string> Devices => _devices;

    /// <summary>Every metric name, e.g. <c>params</c>, <c>latency:pixel3</c>.</summary>
    public IReadOnlyList<string> Names => _names;

    public bool Has(string metric) => _values.ContainsKey(metric);

    /// <summary>The metric's value for every architecture; an <see cref="InvalidInputException"/> listing what exists when unknown.</summary>
    public double[] Values(string metric)
    {
        if (_values.TryGetValue(metric, out var values)) return values;
        if (metric.StartsWith(LatencyPrefix, StringComparison.Ordinal))
        {
            string device = metric[LatencyPrefix.Length..];
            throw new InvalidInputException(_devices.Count == 0
                ? $"no latency is known for {Source}, so '{metric}' cannot be used; metrics: {string.Join(", ", _names)}"
                : $"unknown device '{device}'; devices in {Source}: {string.Join(", ", _devices)}");
        }
        throw new InvalidInputException($"unknown metric '{metric}'; metrics of {Source}: {Describe()}");
    }

    /// <summary>The unit a metric is given in.</summary>
    public static string Unit(string metric) => metric.StartsWith(LatencyPrefix, StringComparison.Ordinal) ? "ms" : metric == Params ? "M" : metric == Constraint.Flops ? "MFLOPs" : "";

    private string Describe()
    {
        var parts = new List<string>();
        if (Has(Params)) parts.Add(Params);
        if (Has(Constraint.Flops)) parts.Add(Constraint.Flops);
        if (_devices.Count > 0) parts.Add($"{LatencyPrefix}DEVICE with DEVICE one of {string.Join(", ", _devices)}");
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private void Put(string name, double[] values)
    {
        if (values.Length != Count) throw new ArgumentException($"metric '{name}' has {values.Length} values, expected {Count}", nameof(values));
        if (!_values.TryAdd(name, values)) throw new ArgumentException($"metric '{name}' given twice", nameof(name));
        _names.Add(name);
    }
}
