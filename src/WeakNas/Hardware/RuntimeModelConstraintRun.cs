using WeakNas.Numerics;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Hardware;

/// <summary>
/// Feasibility through a runtime model (NAS-Bench-201), as a search would have it on a device it can only measure:
/// latency constraints are judged by a <see cref="NasBench201LatencyModel"/> per device, fitted by least squares on the
/// architectures measured so far and refitted after every new measurement. The run starts by measuring
/// <see cref="RuntimeModelOptions.CalibrationSamples"/> random architectures; after that, every evaluated architecture
/// is measured too (its latency is then known exactly). An architecture not yet measured is admitted when its predicted
/// latency plus <see cref="RuntimeModelOptions.Sigmas"/> residual standard errors is at most the bound times
/// (1 − <see cref="RuntimeModelOptions.Margin"/>). Other metrics (parameters) are computed from the architecture alone,
/// so they are read from the table. Every (architecture, device) measurement is one device query.
/// </summary>
public sealed class RuntimeModelConstraintRun : ConstraintRun
{
    private readonly RuntimeModelOptions _options;
    private readonly Dictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly Func<int, string, double> _believedLatency;
    private int _deviceQueries;

    private sealed class Device(double[] truth)
    {
        public double[] Truth { get; } = truth;
        public bool[] Measured { get; } = new bool[truth.Length];
        public NasBench201LatencyModel.Builder Builder { get; } = new();
        /// <summary>Per cell, the prediction raised by the safety terms: what is compared with the bound.</summary>
        public double[] Believed { get; } = new double[truth.Length];
        public bool Stale { get; set; } = true;
        public NasBench201LatencyModel? Model { get; set; }
    }

    public RuntimeModelConstraintRun(FeasibleSet feasible, RuntimeModelOptions options, ulong seed) : base(feasible)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (feasible.Metrics.Count != NasBench201Space.Instance.Count)
            throw new InvalidInputException("the latency runtime model exists for NAS-Bench-201 (nb201) only");
        if (!feasible.Constraints.HasLatency)
            throw new InvalidInputException($"--latency-model needs a latency constraint (latency:DEVICE<=BOUND); got {feasible.Label}");
        _options = options;
        foreach (var c in feasible.Constraints.Items)
            if (c.Device is string device && !_devices.ContainsKey(device))
                _devices[device] = new Device(feasible.Metrics.Values(c.Metric));
        _believedLatency = BelievedLatency;

        int count = NasBench201Space.Instance.Count;
        var all = Enumerable.Range(0, count).ToArray();
        // Calibration draws come from their own stream, so they do not shift the strategy's random choices.
        foreach (int index in Rng.Derive(seed, 0xCA11B0A7E).Choose(all, Math.Min(options.CalibrationSamples, count))) Measure(index);
        CalibrationQueries = _deviceQueries;
    }

    public override bool UsesTable => false;

    public override string Label => ConstraintSetup.LabelOf(Feasible, _options);

    public override string Mode => _options.Describe();

    public override int DeviceQueries => _deviceQueries;

    /// <summary>Device queries spent on calibration before the search started.</summary>
    public int CalibrationQueries { get; }

    public RuntimeModelOptions Options => _options;

    public override bool Admits(int index) => Feasible.Admits(index, _believedLatency);

    public override void Measure(int index)
    {
        var cell = NasBench201Space.Instance[index];
        foreach (var device in _devices.Values)
        {
            if (device.Measured[index]) continue;
            device.Measured[index] = true;
            device.Builder.Add(cell, device.Truth[index]);
            device.Stale = true;
            _deviceQueries++;
        }
    }

    /// <summary>The model fitted on the measurements so far for <paramref name="device"/>, or null before any.</summary>
    public NasBench201LatencyModel? Model(string device)
    {
        var d = _devices[device];
        Refresh(d);
        return d.Model;
    }

    private double BelievedLatency(int index, string name)
    {
        var device = _devices[name];
        if (device.Measured[index]) return device.Truth[index];
        Refresh(device);
        // No measurement yet: nothing is known, so nothing is excluded.
        if (device.Model == null) return 0;
        return device.Believed[index];
    }

    private void Refresh(Device device)
    {
        if (!device.Stale) return;
        device.Stale = false;
        if (device.Builder.Count == 0) return;
        device.Model = device.Builder.Fit();
        device.Model.PredictAll(device.Believed);
        // What is compared with the bound: the prediction raised by the safety terms. Rounded to a picosecond, because an
        // exact model summed in another order can land a last bit above a bound the table meets exactly (bounds are
        // often table values: percentiles of columns with few distinct values).
        double uncertainty = _options.Sigmas * device.Model.ResidualStandardError;
        for (int i = 0; i < device.Believed.Length; i++)
            device.Believed[i] = Math.Round((device.Believed[i] + uncertainty) / (1 - _options.Margin), 9);
    }
}
