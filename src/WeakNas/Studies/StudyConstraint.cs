using System.Collections.Concurrent;
using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Hardware;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Studies;

/// <summary>
/// A study's constraints as stored in its spec: resolved once, at creation, to absolute bounds (a percentile such as
/// <c>latency:pixel3&lt;=p25</c> becomes <c>latency:pixel3&lt;=6.4411…</c>, written with every digit of the double), with
/// the dataset whose parameter column <c>params</c> reads and the feasible count at creation. Every process that
/// rebuilds the strategy resolves the same bounds over the same NAS-Bench-201 tables and so admits exactly the same
/// architectures (the count is checked), which keeps the trajectory independent of workers and restarts. Feasibility is
/// read from the tables (no runtime model).
/// </summary>
public sealed record StudyConstraint
{
    /// <summary>The constraints as absolute bounds, canonical text (<see cref="Constraint.Text"/>), all of which must hold.</summary>
    public required string[] Constraints { get; init; }

    /// <summary>The constraints as given at creation (percentiles kept), for display.</summary>
    public string[]? Requested { get; init; }

    /// <summary>The NAS-Bench-201 dataset whose <c>params_mb_*</c> column <c>params</c> bounds.</summary>
    public string Dataset { get; init; } = "cifar10";

    /// <summary>Architectures meeting every constraint when the study was created.</summary>
    public int FeasibleCount { get; init; }

    /// <summary>The stored constraints, parsed.</summary>
    public ConstraintSet Set() => new(Constraints.Select(Constraint.Parse));

    /// <summary>The tables this constraint reads, relative to the data folder.</summary>
    public IReadOnlyList<string> RequiredFiles()
    {
        var set = Set();
        var files = new List<string>();
        if (set.HasLatency) files.Add(NasBench201Hardware.LatencyPath);
        if (set.Items.Any(c => !c.IsLatency)) files.Add(NasBench201Benchmark.MeansPath);
        return files;
    }

    /// <summary>E.g. <c>latency:pixel3&lt;=p25 = latency:pixel3&lt;=6.4411 ms: 3,907 of 15,625 architectures feasible</c>.</summary>
    public string Describe()
    {
        var set = Set();
        string bounds = string.Join(" & ", set.Items.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Metric}{c.Operator}{c.Value!.Value:G5} {ArchitectureMetrics.Unit(c.Metric)}").TrimEnd()));
        string requested = Requested is { Length: > 0 } r && !r.SequenceEqual(Constraints) ? string.Join(" & ", r) + " = " : "";
        string dataset = set.Items.Any(c => !c.IsLatency) ? $" (params of {Dataset})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{requested}{bounds}{dataset}: {FeasibleCount:N0} of {NasBench201Space.Instance.Count:N0} architectures feasible (table)");
    }

    /// <summary>Checks what can be checked without the tables: the stored form is absolute bounds on a known dataset.</summary>
    public void Validate(string space)
    {
        if (Spaces.SpaceRegistry.Find(space) is not { HasHardwareTables: true }) throw new InvalidInputException($"study constraints need a space with hardware tables ({Spaces.SpaceRegistry.WithHardwareTables}), not {space}");
        if (Constraints == null || Constraints.Length == 0) throw new InvalidInputException("a study constraint holds no constraints");
        foreach (var c in Set().Items)
        {
            if (c.Percentile != null)
                throw new InvalidInputException($"a stored study constraint must be an absolute bound, got {c.Text} (create the study to resolve percentiles)");
        }
        if (!NasBench201Benchmark.Datasets.ContainsKey(Dataset))
            throw new InvalidInputException($"unknown NAS-Bench-201 dataset '{Dataset}'; expected one of {string.Join(", ", NasBench201Benchmark.Datasets.Keys)}");
        if (FeasibleCount <= 0) throw new InvalidInputException($"a study constraint must admit some architecture, got a feasible count of {FeasibleCount}");
    }

    /// <summary>
    /// Resolves <paramref name="requested"/> (percentiles included) over the tables in <paramref name="dataFolder"/> into
    /// the stored form; an <see cref="InvalidInputException"/> for an unknown metric or device, a missing table or an
    /// empty feasible set.
    /// </summary>
    public static StudyConstraint Create(ConstraintSet requested, string dataset, string? dataFolder)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (!NasBench201Benchmark.Datasets.ContainsKey(dataset))
            throw new InvalidInputException($"unknown NAS-Bench-201 dataset '{dataset}'; expected one of {string.Join(", ", NasBench201Benchmark.Datasets.Keys)}");
        var feasible = requested.Resolve(LoadMetrics(requested, dataset, BenchmarkData.FromFolderOrEmbedded(dataFolder)));
        var absolute = requested.Items.Select((c, k) => Constraint.Parse(
            c.Metric + c.Operator + feasible.Bounds[k].ToString("R", CultureInfo.InvariantCulture)).Text).ToArray();
        var stored = new StudyConstraint
        {
            Constraints = absolute, Requested = requested.Items.Select(c => c.Text).ToArray(), Dataset = dataset, FeasibleCount = feasible.Count,
        };
        // The stored bounds must admit exactly what the requested ones do (the "R" form round-trips, so they do).
        int again = stored.Resolve(dataFolder, "").Count;
        if (again != feasible.Count)
            throw new InvalidOperationException($"stored bounds admit {again} architectures, the requested ones {feasible.Count}");
        return stored;
    }

    private static readonly ConcurrentDictionary<string, Lazy<FeasibleSet>> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The feasible set over the tables in <paramref name="dataFolder"/> (null: the embedded tables), cached per folder
    /// and constraint. An <see cref="InvalidInputException"/> naming the missing table when the folder or a file is
    /// missing, or when the tables admit a different number of architectures than at creation.
    /// </summary>
    public FeasibleSet Resolve(string? dataFolder, string studyName)
    {
        string what = string.IsNullOrEmpty(studyName) ? "the constraint" : $"study '{studyName}' is constrained ({string.Join(" & ", Constraints)}) and";
        var data = BenchmarkData.FromFolderOrEmbedded(dataFolder);
        foreach (string file in RequiredFiles())
        {
            if (!data.Has(file)) throw new InvalidInputException($"{what} needs {Path.Combine(data.Folder ?? ".", file.Replace('/', Path.DirectorySeparatorChar))}, which does not exist (point --data or {DataFolder.EnvironmentVariable} at the folder that holds nasbench201/)");
        }
        string source = string.Join("\n", RequiredFiles().Select(data.SourceOf));
        string key = source + "\n" + Dataset + "\n" + string.Join("\n", Constraints);
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<FeasibleSet>(() => Set().Resolve(LoadMetrics(Set(), Dataset, data))));
        FeasibleSet feasible;
        try
        {
            feasible = lazy.Value;
        }
        catch
        {
            Cache.TryRemove(key, out _);
            throw;
        }
        if (FeasibleCount > 0 && feasible.Count != FeasibleCount)
            throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                $"{what} admitted {FeasibleCount:N0} architectures at creation, but the tables in {data} admit {feasible.Count:N0}: use the same data folder"));
        return feasible;
    }

    private static ArchitectureMetrics LoadMetrics(ConstraintSet set, string dataset, BenchmarkData dataFolder)
    {
        int count = NasBench201Space.Instance.Count;
        double[]? parameters = null;
        if (set.Items.Any(c => !c.IsLatency))
        {
            var benchmark = NasBench201Benchmark.Load(dataFolder, dataset);
            parameters = new double[count];
            for (int i = 0; i < count; i++) parameters[i] = benchmark.Parameters(i);
        }
        var latency = set.HasLatency ? NasBench201Hardware.LoadLatency(dataFolder) : [];
        return new ArchitectureMetrics($"NAS-Bench-201 {dataset}", count, parameters, latency);
    }
}
