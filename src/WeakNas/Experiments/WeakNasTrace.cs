using System.Text.Json;
using System.Text.Json.Serialization;
using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>
/// One WeakNAS iteration of a bench run held against the table's truth (a line of a bench's <c>trace.jsonl</c>). Ranks are
/// 1-based; a true rank is one more than the number of architectures with a higher search accuracy, a predicted rank the
/// position among the not-yet-evaluated architectures in the predictor's order.
/// </summary>
/// <param name="Best">True rank of the best architecture evaluated before this batch.</param>
/// <param name="OptimumRank">Predicted rank of the global optimum; null once it has been evaluated.</param>
/// <param name="Spearman">Spearman's ρ between predicted and true order over every unevaluated architecture.</param>
/// <param name="KendallTop">Kendall's τ between predicted and true order over <paramref name="TopRanks"/>.</param>
/// <param name="TopRanks">True ranks, in predicted order, of the pool the top-N draws came from: the unevaluated members
/// of the predicted top-N, or when fewer than the draws remain there, the best-predicted unevaluated architectures.</param>
/// <param name="Exploit">True ranks of the batch's draws from the top-N.</param>
/// <param name="Explore">True ranks of the batch's exploration draws.</param>
public sealed record WeakNasTraceStep(
    string Dataset, string Strategy, ulong Seed, int Iteration, int Told, int TopN, int Best, int? OptimumRank,
    double? Spearman, double? KendallTop, int[] TopRanks, int[] Exploit, int[] Explore);

/// <summary>Every architecture's search accuracy in a table (index i for architecture i) and its true rank.</summary>
public sealed class TableTruth
{
    private TableTruth(double[] values)
    {
        Values = values;
        Ranks = WeakNasTracer.TrueRanks(values);
    }

    public IReadOnlyList<double> Values { get; }

    public IReadOnlyList<int> Ranks { get; }

    public static TableTruth Of(IReadOnlyList<double> values) => new([.. values]);

    public static TableTruth Of<TArch>(ITabularBenchmark<TArch> benchmark) where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var values = new double[benchmark.Space.Count];
        for (int i = 0; i < values.Length; i++) values[i] = benchmark.SearchAccuracy(i);
        return new TableTruth(values);
    }
}

/// <summary>
/// Watches a <see cref="WeakNasStrategy"/> over a listed benchmark and records each iteration as a
/// <see cref="WeakNasTraceStep"/>; it forwards every call unchanged, so the run is the one it would be unwatched.
/// </summary>
public sealed class WeakNasTracer : ISearchStrategy
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly WeakNasStrategy _inner;
    private readonly IReadOnlyList<int> _trueRank;
    private readonly IReadOnlyList<double> _truth;
    private readonly int _optimum;
    private readonly string _dataset;
    private readonly string _strategy;
    private readonly ulong _seed;
    private readonly HashSet<int> _told = [];
    private int _best = int.MaxValue;
    private readonly List<WeakNasTraceStep> _steps = [];

    /// <param name="truth">The table's search accuracies and their ranks (one <see cref="TableTruth"/> serves every run on it).</param>
    public WeakNasTracer(WeakNasStrategy inner, TableTruth truth, int optimum, string dataset, string strategy, ulong seed)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentNullException.ThrowIfNull(truth);
        _truth = truth.Values;
        _trueRank = truth.Ranks;
        _optimum = optimum;
        _dataset = dataset;
        _strategy = strategy;
        _seed = seed;
        inner.Decided = Record;
    }

    /// <summary>1 + the number of strictly better values, per value.</summary>
    public static int[] TrueRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).ToArray();
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]));
        var rank = new int[values.Count];
        for (int i = 0; i < order.Length; i++)
            rank[order[i]] = i > 0 && values[order[i]] == values[order[i - 1]] ? rank[order[i - 1]] : i + 1;
        return rank;
    }

    public IReadOnlyList<WeakNasTraceStep> Steps => _steps;

    /// <summary>The steps as JSON lines.</summary>
    public IEnumerable<string> Lines() => _steps.Select(s => JsonSerializer.Serialize(s, Json));

    public string Name => _inner.Name;

    public IReadOnlyList<int> Ask(int maxCount) => _inner.Ask(maxCount);

    public void Tell(int index, double searchAccuracy)
    {
        _inner.Tell(index, searchAccuracy);
        if (_told.Add(index)) _best = Math.Min(_best, _trueRank[index]);
    }

    public void Exclude(int index)
    {
        _inner.Exclude(index);
        _told.Add(index);
    }

    private void Record(WeakNasDecision decision)
    {
        var predicted = new List<double>();
        var actual = new List<double>();
        int? optimumRank = null;
        var top = new List<int>();
        for (int i = 0; i < decision.Ranked.Count; i++)
        {
            int index = decision.Ranked[i];
            if (_told.Contains(index)) continue;
            predicted.Add(-predicted.Count);
            actual.Add(_truth[index]);
            if (index == _optimum) optimumRank = predicted.Count;
            // The pool the draws came from: the unevaluated members of the top-N, or, when fewer than the draws
            // remain there, the best-predicted unevaluated architectures.
            if (i < decision.TopN || top.Count < decision.Exploit.Count) top.Add(index);
        }
        double? kendall = top.Count >= 2
            ? RankCorrelation.KendallTau(top.Select((_, k) => (double)-k).ToArray(), top.Select(i => _truth[i]).ToArray())
            : null;
        _steps.Add(new WeakNasTraceStep(_dataset, _strategy, _seed, decision.Iteration, decision.Told, decision.TopN,
            _best, optimumRank, predicted.Count >= 2 ? RankCorrelation.Spearman(predicted, actual) : null, kendall,
            [.. top.Select(i => _trueRank[i])], [.. decision.Exploit.Select(i => _trueRank[i])], [.. decision.Explore.Select(i => _trueRank[i])]));
    }
}

/// <summary>
/// A bench's <c>trace.jsonl</c>: the traced runs under way, each appended whole when it finishes (before the run itself is
/// logged, so a run in the log has its trace; a run interrupted in between is traced twice, and readers keep the last).
/// </summary>
public sealed class BenchTrace(string path)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, WeakNasTracer> _running = [];

    public string Path { get; } = path;

    /// <summary>Starts tracing the run of <paramref name="key"/>; returns the tracer to run in place of the strategy.</summary>
    public WeakNasTracer Watch(string key, WeakNasTracer tracer)
    {
        lock (_gate) _running[key] = tracer;
        return tracer;
    }

    /// <summary>Appends the finished run's steps (nothing for a run that was not traced).</summary>
    public void Finish(string key)
    {
        lock (_gate)
        {
            if (!_running.Remove(key, out var tracer)) return;
            File.AppendAllLines(Path, tracer.Lines());
        }
    }
}
