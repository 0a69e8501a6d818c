using System.CommandLine;
using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Spaces;
using WeakNas.Spaces.MobileNetV3;
using WeakNas.Strategies;

namespace WeakNas.Cli;

/// <summary>
/// The once-for-all MobileNetV3 side of `search` and `bench`: the space's own options (width, resolution, pool), the
/// search in the paper's pool (a tabular benchmark whose optimum is known) or in the open window (fresh candidates),
/// evaluated by once-for-all's accuracy predictor.
/// </summary>
internal sealed class OfaSearchCli
{
    private readonly Option<double?> _width = new("--width") { Description = "ofa-mbv3: the supernet's width multiplier, 1.0 or 1.2 (default 1.2, the paper's)." };
    private readonly Option<int?> _resolution = new("--resolution") { Description = "ofa-mbv3: input resolution, 112 to 239 (default 236, the paper's; the predictor reads it in 16-pixel slots)." };

    private readonly Option<int?> _pool = new("--pool") { Description = "ofa-mbv3: subnets in the pool (default 10,000, the paper's)." };
    private readonly Option<ulong?> _poolSeed = new("--pool-seed") { Description = "ofa-mbv3: the seed the pool is drawn from (default 0)." };
    private readonly bool _ownPool;

    /// <param name="ownPool">Add --pool and --pool-seed (a command that has none of its own).</param>
    public OfaSearchCli(bool ownPool = false) => _ownPool = ownPool;

    public void AddTo(Command command)
    {
        command.Options.Add(_width);
        command.Options.Add(_resolution);
        if (!_ownPool) return;
        command.Options.Add(_pool);
        command.Options.Add(_poolSeed);
    }

    /// <summary>The settings from this object's own --pool and --pool-seed.</summary>
    public OfaSearchSettings Settings(ParseResult parse, ConstraintSet? constraints) => Settings(parse, constraints, parse.GetValue(_pool), parse.GetValue(_poolSeed));

    /// <summary>Refuses the space's options on another space.</summary>
    public void CheckUnused(ParseResult parse, string space)
    {
        foreach (var option in new Option[] { _width, _resolution, _pool, _poolSeed })
            if (parse.GetResult(option) is { Implicit: false }) throw new InvalidInputException($"{option.Name} applies to --space ofa-mbv3 only, not {space}");
    }

    /// <summary>The search's settings from the command line: the paper's unless options say otherwise.</summary>
    public OfaSearchSettings Settings(ParseResult parse, ConstraintSet? constraints, int? pool, ulong? poolSeed)
    {
        var d = new OfaSearchSettings();
        var settings = d with
        {
            Width = parse.GetValue(_width) ?? d.Width,
            Resolution = parse.GetValue(_resolution) ?? d.Resolution,
            Constraints = constraints ?? d.Constraints,
            PoolSize = pool ?? d.PoolSize,
            PoolSeed = poolSeed ?? d.PoolSeed,
        };
        settings.Validate();
        return settings;
    }

    /// <summary>
    /// What an ofa-mbv3 study searches, from the command line: width, resolution, the constraints as written (none given:
    /// the paper's window) and a pool (--candidates pool, the default) or fresh candidates.
    /// </summary>
    public Studies.OfaStudySettings StudySettings(ParseResult parse, string[]? constraints, int? pool, ulong? poolSeed, string? candidates)
    {
        string mode = candidates ?? "pool";
        if (mode is not ("pool" or "fresh")) throw new InvalidInputException($"--candidates '{mode}': expected pool or fresh");
        if (mode == "fresh" && (pool != null || poolSeed != null)) throw new InvalidInputException("--pool and --pool-seed describe a pool: not with --candidates fresh");
        var settings = Settings(parse, ConstraintSet.Parse(constraints), pool, poolSeed);
        var study = new Studies.OfaStudySettings
        {
            Width = settings.Width, Resolution = settings.Resolution, Constraints = constraints,
            Pool = mode == "pool" ? settings.PoolSize : null, PoolSeed = mode == "pool" ? settings.PoolSeed : null,
        };
        study.ToSearchSettings();
        return study;
    }

    /// <summary>One search, in the pool or the open window; prints the summary, writes --out; the exit code.</summary>
    public static int Search(TextWriter stdout, TextWriter stderr, OfaSearch ofa, string dataset, string strategy, ulong seed, WeakNasOptions options,
        int budget, bool stopAtOptimum, bool progress, string? path, string? plotPath = null)
    {
        using var bar = new ProgressBar(stderr, budget, enabled: progress);
        using var interrupt = new Interruption();
        var result = Run(ofa, dataset, strategy, seed, options, budget, stopAtOptimum, (record, best) => bar.Update(record.N, best.SearchAccuracy, best.N), interrupt.Token);
        bar.Finish();
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv, $"{result.Strategy} on ofa-mbv3/{dataset} ({ofa.Settings.Describe()}), seed {seed}: {result.Queries.Count} queries in {result.Seconds:F1} s"));
        if (result.Best is { } b)
        {
            var subnet = ofa.Space.Parse(b.Arch);
            stdout.WriteLine(string.Create(inv, $"best: query {b.N}, predicted top-1 {b.SearchAccuracy:F4} %, {ofa.Metric(subnet, Constraint.Flops):F3} MFLOPs, {ofa.Metric(subnet, ArchitectureMetrics.Params):F3} M parameters"));
            stdout.WriteLine($"      {b.Arch}");
        }
        if (dataset == OfaMobileNetV3Provider.PoolDataset)
        {
            stdout.WriteLine(string.Create(inv, $"pool optimum ({ofa.Settings.PoolSize:N0} subnets, pool seed {ofa.Settings.PoolSeed}): index {result.OptimumIndex}, predicted top-1 {result.OptimumSearchAccuracy:F4} %"));
            stdout.WriteLine(result.FoundOptimumAt is int at ? $"found the pool optimum at query {at}" : $"did not find the pool optimum within {result.Budget} queries");
        }
        else
        {
            stdout.WriteLine(string.Create(inv, $"pool optimum, for reference: predicted top-1 {result.OptimumSearchAccuracy:F4} %"));
            stdout.WriteLine(result.FoundOptimumAt is int at ? $"matched or beat the pool optimum at query {at}" : $"did not reach the pool optimum within {result.Budget} queries");
        }
        if (path != null) OutputFile.Write(path, "--out", SearchResultJson.Serialize(result));
        HistoryPlots.WriteSearch(plotPath, result);
        if (!result.Interrupted) return 0;
        stderr.WriteLine($"weaknas: interrupted after {result.Queries.Count} of {budget} queries" + (path != null ? $"; wrote the partial result to {path} (marked \"complete\": false)" : ""));
        return Interruption.ExitCode;
    }

    /// <summary>
    /// A search without output: in the pool (a tabular benchmark: queries to its optimum) or in the open window (fresh
    /// candidates; the pool's optimum is the target it is measured against).
    /// </summary>
    /// <param name="wrap">Wraps the pool's strategy before it runs (the bench's --trace); the open window takes none.</param>
    public static SearchResult Run(OfaSearch ofa, string dataset, string strategy, ulong seed, WeakNasOptions options, int budget, bool stopAtOptimum,
        Action<QueryRecord, QueryRecord>? progress = null, CancellationToken interrupt = default, Func<ISearchStrategy, ISearchStrategy>? wrap = null)
    {
        var pool = ofa.PoolBenchmark;
        if (dataset == OfaMobileNetV3Provider.PoolDataset)
        {
            if (budget > pool.Space.Count) throw new InvalidInputException($"--budget {budget} exceeds the {pool.Space.Count} subnets of the pool");
            var encodings = SpaceEncodings.Own(pool.Space);
            var chosen = StrategyFactory.Create(strategy, pool.Space, encodings, seed, options);
            if (wrap != null) chosen = wrap(chosen);
            return SearchRunner.Run(pool, chosen, budget, seed, NoiseMode.Mean, progress, stopAtOptimum, interrupt) with { Dataset = dataset };
        }
        if (dataset != OfaMobileNetV3Provider.OpenDataset) throw new InvalidInputException($"unknown dataset '{dataset}' for ofa-mbv3; expected pool or open");
        if (wrap != null) throw new InvalidOperationException("the open window's strategies are not wrapped");
        var catalogue = ArchitectureCatalogue<OfaSubnet>.Open(ofa.Searched);
        var encoding = ArchitectureEncoding<OfaSubnet>.Own(ofa.Searched);
        var open = StrategyFactory.Create(strategy, catalogue, encoding, seed, options);
        var target = (pool.Space.Format(pool.Space[pool.OptimumIndex]), pool.SearchAccuracy(pool.OptimumIndex));
        return OpenSearchRunner.Run(catalogue, open, ofa.Accuracy, budget, seed, dataset, target, progress, stopAtOptimum, interrupt);
    }
}
