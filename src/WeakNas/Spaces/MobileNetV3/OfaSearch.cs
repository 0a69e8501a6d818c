using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Hardware;
using WeakNas.Numerics;

namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// How a once-for-all MobileNetV3 search is set up: the supernet width, the input resolution, the constraints on the
/// subnets searched (the WeakNAS paper's FLOPs window by default), and for a search in a pool, its size and seed.
/// </summary>
public sealed record OfaSearchSettings
{
    /// <summary>The WeakNAS paper's pool: 10,000 subnets.</summary>
    public const int PaperPoolSize = 10_000;

    /// <summary>The paper's resolution for counting FLOPs (the predictor reads it in its 224..239 slot).</summary>
    public const int PaperResolution = 236;

    public double Width { get; init; } = 1.2;

    public int Resolution { get; init; } = PaperResolution;

    /// <summary>Constraints every searched subnet satisfies; null for none. Default: the paper's 550 to 600 MFLOPs.</summary>
    public ConstraintSet? Constraints { get; init; } = PaperWindow;

    public int PoolSize { get; init; } = PaperPoolSize;

    public ulong PoolSeed { get; init; }

    /// <summary>The paper's FLOPs window: 550 to 600 MFLOPs (w1.2, r = 236).</summary>
    public static ConstraintSet PaperWindow { get; } = new([Constraint.Parse("flops>=550"), Constraint.Parse("flops<=600")]);

    /// <summary>For messages: <c>w1.2, r 236, flops&gt;=550 &amp; flops&lt;=600</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"w{Width:0.0}, r {Resolution}, {Constraints?.Label ?? "unconstrained"}");

    public void Validate()
    {
        if (!OfaMobileNetV3Space.Widths.Contains(Width)) throw new InvalidInputException($"--width must be 1.0 or 1.2 (the released supernets), got {Width.ToString(CultureInfo.InvariantCulture)}");
        if (Resolution is < OfaAccuracyPredictor.LowestResolution or > OfaAccuracyPredictor.HighestResolution)
            throw new InvalidInputException($"--resolution must be between {OfaAccuracyPredictor.LowestResolution} and {OfaAccuracyPredictor.HighestResolution} (what the accuracy predictor covers), got {Resolution}");
        if (PoolSize is < 2 or > 1_000_000) throw new InvalidInputException($"--pool must be between 2 and 1000000 subnets, got {PoolSize}");
        foreach (var c in Constraints?.Items ?? [])
        {
            if (c.Percentile != null)
                throw new InvalidInputException($"--constraint '{c.Text}': a percentile needs a listed table; give ofa-mbv3 bounds as numbers (MFLOPs, millions of parameters, ms)");
        }
    }
}

/// <summary>
/// A once-for-all MobileNetV3 search made concrete: the space (constrained when the settings constrain it), the metrics
/// constraints read (FLOPs and parameters from once-for-all's counters, latency from lookup tables), the accuracy
/// predictor that stands in for training, and the pool, drawn once per pool seed, for a search as the paper's.
/// </summary>
public sealed class OfaSearch
{
    /// <summary>The random stream a pool is drawn from (apart from every strategy's).</summary>
    public const ulong PoolStream = 7_100_000;

    private readonly Lazy<PoolSpace<OfaSubnet>> _pool;
    private readonly Lazy<OfaPoolBenchmark> _poolBenchmark;
    private readonly IReadOnlyDictionary<string, IOfaLatency> _latency;

    /// <param name="predictor">The evaluation; null where a user's command evaluates (a study), which leaves <see cref="PoolBenchmark"/> and <see cref="Accuracy"/> out.</param>
    public OfaSearch(OfaSearchSettings settings, OfaAccuracyPredictor? predictor, IReadOnlyDictionary<string, IOfaLatency>? latency = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _predictor = predictor;
        _latency = latency ?? new Dictionary<string, IOfaLatency>();
        Space = new OfaMobileNetV3Space(settings.Width, [settings.Resolution]);
        if (settings.Constraints is { } constraints)
        {
            foreach (var c in constraints.Items) CheckMetric(c.Metric);
            var bounds = constraints.Items.Select(c => c.Value!.Value).ToArray();
            Searched = new ConstrainedSpace<OfaSubnet>(Space, arch => Feasible(arch, constraints, bounds), constraints.Label);
        }
        else
        {
            Searched = Space;
        }
        _pool = new(DrawPool);
        _poolBenchmark = new(() => new OfaPoolBenchmark(Pool, Predictor));
    }

    public OfaSearchSettings Settings { get; }

    private readonly OfaAccuracyPredictor? _predictor;

    public OfaAccuracyPredictor Predictor => _predictor ?? throw new InvalidOperationException("this once-for-all search has no accuracy predictor: a user's command evaluates it");

    /// <summary>The whole space at the settings' width and resolution.</summary>
    public OfaMobileNetV3Space Space { get; }

    /// <summary>The space searched: <see cref="Space"/> restricted to the constraints.</summary>
    public ISearchSpace<OfaSubnet> Searched { get; }

    /// <summary>The constraints as written, or "none".</summary>
    public string ConstraintLabel => Settings.Constraints?.Label ?? "none";

    /// <summary>The pool: <see cref="OfaSearchSettings.PoolSize"/> distinct uniform samples of <see cref="Searched"/>.</summary>
    public PoolSpace<OfaSubnet> Pool => _pool.Value;

    /// <summary>The pool with every member's predicted accuracy: a tabular benchmark, its optimum the pool's best.</summary>
    public OfaPoolBenchmark PoolBenchmark => _poolBenchmark.Value;

    /// <summary>The devices with a latency table.</summary>
    public IReadOnlyCollection<string> Devices => [.. _latency.Keys];

    /// <summary>The evaluation: once-for-all's predicted top-1, in percent.</summary>
    public double Accuracy(OfaSubnet subnet) => Predictor.Predict(subnet);

    /// <summary>A metric a constraint can name: flops (MFLOPs), params (millions), latency:DEVICE (ms).</summary>
    public double Metric(OfaSubnet subnet, string metric)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        CheckMetric(metric);
        if (metric == Constraint.Flops) return OfaMetrics.MegaFlops(subnet, Settings.Width);
        if (metric == ArchitectureMetrics.Params) return OfaMetrics.Parameters(subnet, Settings.Width) / 1e6;
        return _latency[metric[ArchitectureMetrics.LatencyPrefix.Length..]].Latency(subnet, Settings.Width);
    }

    /// <summary>The pool's metrics (flops, params, the loaded devices' latency), for objectives over it.</summary>
    public ArchitectureMetrics PoolMetrics()
    {
        var pool = Pool;
        var flops = new double[pool.Count];
        var parameters = new double[pool.Count];
        for (int i = 0; i < pool.Count; i++)
        {
            var (f, p) = OfaMetrics.Count(pool[i], Settings.Width);
            (flops[i], parameters[i]) = (f / 1e6, p / 1e6);
        }
        var latency = _latency.Keys.Order(StringComparer.Ordinal)
            .Select(d => (d, Enumerable.Range(0, pool.Count).Select(i => Metric(pool[i], ArchitectureMetrics.LatencyPrefix + d)).ToArray())).ToList();
        return new ArchitectureMetrics("the ofa-mbv3 pool", pool.Count, parameters, latency, flops);
    }

    private void CheckMetric(string metric)
    {
        if (metric is Constraint.Flops or ArchitectureMetrics.Params) return;
        if (metric.StartsWith(ArchitectureMetrics.LatencyPrefix, StringComparison.Ordinal))
        {
            string device = metric[ArchitectureMetrics.LatencyPrefix.Length..];
            if (_latency.ContainsKey(device)) return;
            throw new InvalidInputException(IOfaLatency.Devices.Contains(device)
                ? $"no latency source for {device} is loaded in this search, so '{metric}' cannot be used"
                : IOfaLatency.UnknownDevice(device));
        }
        throw new InvalidInputException($"unknown metric '{metric}' for ofa-mbv3; expected flops, params or latency:DEVICE");
    }

    // On the sampling hot path (every rejection sample of the window): FLOPs and parameters come from one count.
    private bool Feasible(OfaSubnet subnet, ConstraintSet constraints, double[] bounds)
    {
        (long Flops, long Parameters)? counts = null;
        for (int k = 0; k < bounds.Length; k++)
        {
            var c = constraints.Items[k];
            double value = c.Metric switch
            {
                Constraint.Flops => (counts ??= OfaMetrics.Count(subnet, Settings.Width)).Flops / 1e6,
                ArchitectureMetrics.Params => (counts ??= OfaMetrics.Count(subnet, Settings.Width)).Parameters / 1e6,
                _ => Metric(subnet, c.Metric),
            };
            if (!c.Admits(value, bounds[k])) return false;
        }
        return true;
    }

    private PoolSpace<OfaSubnet> DrawPool()
    {
        var rng = Rng.Derive(Settings.PoolSeed, PoolStream);
        var keys = new HashSet<string>(Settings.PoolSize, StringComparer.Ordinal);
        var members = new List<OfaSubnet>(Settings.PoolSize);
        for (long attempt = 0; members.Count < Settings.PoolSize; attempt++)
        {
            if (attempt > 100L * Settings.PoolSize)
                throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                    $"ofa-mbv3: drew only {members.Count:N0} distinct subnets satisfying {ConstraintLabel} in {attempt:N0} samples; ask for a smaller --pool"));
            var subnet = Searched.Sample(rng);
            if (keys.Add(Space.CanonicalKey(subnet))) members.Add(subnet);
        }
        return new PoolSpace<OfaSubnet>(Searched, members);
    }

    /// <summary>Loads the predictor (and the latency tables, when a folder has them) from a data folder or the embedded copy.</summary>
    /// <param name="moreDevices">Devices beyond the constraints' whose latency the search reads (a multi-objective search's).</param>
    public static OfaSearch Load(OfaSearchSettings settings, BenchmarkData data, IEnumerable<string>? moreDevices = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        var devices = (settings.Constraints?.Items ?? []).Where(c => c.IsLatency).Select(c => c.Device!).Concat(moreDevices ?? []).Distinct().ToList();
        var tables = devices.ToDictionary(d => d, d => IOfaLatency.Load(data, d));
        return new OfaSearch(settings, OfaAccuracyPredictor.Load(data), tables);
    }
}

/// <summary>The pool as a tabular benchmark: every member's predicted top-1 (%), once; the optimum is the pool's best.</summary>
public sealed class OfaPoolBenchmark : ITabularBenchmark<OfaSubnet>
{
    private readonly double[] _accuracy;

    public OfaPoolBenchmark(PoolSpace<OfaSubnet> pool, OfaAccuracyPredictor predictor)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(predictor);
        Pool = pool;
        _accuracy = new double[pool.Count];
        Parallel.For(0, pool.Count, i => _accuracy[i] = predictor.Predict(pool[i]));
        OptimumIndex = Statistics.ArgMax(_accuracy);
    }

    public PoolSpace<OfaSubnet> Pool { get; }

    public IEnumerableSearchSpace<OfaSubnet> Space => Pool;

    public string Dataset => "pool";

    public string SearchMetric => "predicted_top1";

    public string TestMetric => "predicted_top1";

    public double SearchAccuracy(int index) => _accuracy[index];

    public double TestAccuracy(int index) => _accuracy[index];

    public bool HasPerSeedSearchAccuracy => false;

    public double SampleSearchAccuracy(int index, Rng rng) => _accuracy[index];

    public int OptimumIndex { get; }
}
