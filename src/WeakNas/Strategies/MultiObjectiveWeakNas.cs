using System.Diagnostics;
using WeakNas.MultiObjective;
using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Strategies;

/// <summary>
/// WeakNAS for several objectives (MO-WeakNAS): accuracy is learned, the costs (latency, parameters) are known from the
/// table. M0 random architectures; then each iteration fits the same weak predictor as <see cref="WeakNasStrategy"/> on
/// every architecture evaluated so far, predicts the accuracy of every admissible architecture, pairs it with the known
/// costs and peels non-dominated layers of these predicted points (layer 1, 2, …) until the layers hold at least N
/// unevaluated architectures. Of the M per iteration, M − explore are drawn uniformly from those unevaluated members and
/// explore uniformly from the unevaluated architectures outside the layers.
/// <para>
/// This is WeakNAS's predicted top-N with "top" read as Pareto rank: as the predictor is refitted on more architectures
/// near the front, the layers it predicts concentrate where the true front is (coarse to fine), and every sample lies on
/// or next to the predicted trade-off curve, spread along its whole length instead of piled at the most accurate end. N
/// follows <see cref="WeakNasOptions.TopN(int)"/>'s schedule; stall widening does not apply (there is no single best).
/// Random streams are derived from the seed and the number of architectures told, as in <see cref="WeakNasStrategy"/>.
/// </para>
/// </summary>
public sealed class MultiObjectiveWeakNas : ISearchStrategy
{
    private readonly float[] _encoded;
    private readonly int _featureCount;
    private readonly MultiObjectiveProblem _problem;
    private readonly WeakNasOptions _options;
    private readonly IRegressor _regressor;
    private readonly ulong _seed;
    private readonly List<int> _toldIndices = [];
    private readonly List<float> _toldAccuracies = [];
    private readonly HashSet<int> _told = [];
    private readonly float[] _predictions;
    private readonly Func<int, bool>? _admissible;
    private readonly List<WeakNasIteration> _history = [];
    private IRegressionModel? _previous;

    /// <param name="encodedSpace">Every architecture's features, row i for index i.</param>
    /// <param name="admissible">Which architectures may be proposed (a constraint), beyond the problem's own; null for the problem's.</param>
    public MultiObjectiveWeakNas(float[] encodedSpace, int featureCount, MultiObjectiveProblem problem, WeakNasOptions options, ulong seed,
        IRegressor? regressor = null, Func<int, bool>? admissible = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options.Validate();
        if (options.StallPatience > 0) throw new InvalidInputException("stall widening (--stall-patience) does not apply to multi-objective WeakNAS: there is no single best to stall on");
        if (options.Sampling != WeakNasSampling.Uniform) throw new InvalidInputException("multi-objective WeakNAS samples uniformly from the predicted non-dominated layers; expected-improvement sampling does not apply");
        if (featureCount <= 0 || encodedSpace.Length != problem.Count * featureCount)
            throw new ArgumentException($"encoded space of {encodedSpace.Length} values is not {problem.Count} rows × {featureCount}", nameof(encodedSpace));
        _encoded = encodedSpace;
        _featureCount = featureCount;
        _problem = problem;
        _options = options;
        _regressor = regressor ?? options.CreateRegressor();
        _seed = seed;
        _predictions = new float[problem.Count];
        _admissible = admissible;
    }

    public string Name => "weaknas";

    /// <summary>Every predictor iteration, in order; TopN is N, UnevaluatedInTop the unevaluated members of the layers taken.</summary>
    public IReadOnlyList<WeakNasIteration> Iterations => _history;

    /// <summary>The layers the last iteration sampled from (architecture indices, layer by layer), for tests and diagnostics.</summary>
    public IReadOnlyList<int[]> LastLayers { get; private set; } = [];

    private bool Admissible(int index) => _problem.IsAdmissible(index) && (_admissible == null || _admissible(index));

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var pool = Enumerable.Range(0, _problem.Count).Where(Admissible).ToArray();
        if (!pool.Any(i => !_told.Contains(i))) return [];
        if (_told.Count < _options.InitialSamples)
        {
            var draw = Rng.Derive(_seed, 0).Choose(pool, Math.Min(_options.InitialSamples, pool.Length));
            var batch = draw.Where(i => !_told.Contains(i)).Take(Math.Min(maxCount, _options.InitialSamples - _told.Count)).ToArray();
            if (batch.Length > 0) return batch;
        }
        int size = Math.Min(maxCount, _options.SamplesPerIteration);
        if (_toldIndices.Count == 0)
        {
            var untold = pool.Where(i => !_told.Contains(i)).ToArray();
            return Rng.Derive(_seed, 5_000_000_000UL + (ulong)_told.Count).Choose(untold, Math.Min(size, untold.Length));
        }
        return NextBatch(size, pool);
    }

    public void Exclude(int index)
    {
        if ((uint)index >= (uint)_problem.Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index outside 0..{_problem.Count - 1}");
        _told.Add(index);
    }

    public void Tell(int index, double searchAccuracy)
    {
        if ((uint)index >= (uint)_problem.Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index outside 0..{_problem.Count - 1}");
        if (!_told.Add(index)) return;
        _toldIndices.Add(index);
        _toldAccuracies.Add((float)searchAccuracy);
    }

    private int[] NextBatch(int size, int[] pool)
    {
        var clock = Stopwatch.StartNew();
        int n = _toldIndices.Count;
        int iteration = (n - _options.InitialSamples) / _options.SamplesPerIteration;
        var features = WeakPredictor.Features(_encoded, _featureCount, _toldIndices);
        var model = WeakPredictor.Fit(_regressor, features, _featureCount, _toldAccuracies.ToArray(), _seed, _options.WarmStart, ref _previous);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        model.Predict(_encoded, _predictions);

        int topN = Math.Min(_options.TopN(iteration), pool.Length);
        var points = pool.Select(i => _problem.Point(i, _predictions[i])).ToList();
        int Untold(int[] layer) => layer.Count(p => !_told.Contains(pool[p]));
        var layers = Pareto.Sort(points, taken => taken.Sum(Untold) >= topN);
        LastLayers = layers.Select(layer => layer.Select(p => pool[p]).ToArray()).ToList();
        var inLayers = LastLayers.SelectMany(l => l).ToHashSet();
        var candidates = LastLayers.SelectMany(l => l).Where(i => !_told.Contains(i)).Order().ToList();
        var rest = pool.Where(i => !_told.Contains(i) && !inLayers.Contains(i)).ToList();

        int explore = Math.Min(Math.Min(_options.Explore, size), rest.Count);
        int exploit = Math.Min(size - explore, candidates.Count);
        var chosen = new List<int>(size);
        chosen.AddRange(Rng.Derive(_seed, 2_000_000UL + (ulong)n).Choose(candidates, exploit));
        chosen.AddRange(Rng.Derive(_seed, 3_000_000UL + (ulong)n).Choose(rest, explore));
        if (chosen.Count < size)
        {
            // Near exhaustion one side can run short: fill from whatever unevaluated architectures are left.
            var left = candidates.Concat(rest).Except(chosen).ToList();
            chosen.AddRange(Rng.Derive(_seed, 4_000_000UL + (ulong)n).Choose(left, Math.Min(size - chosen.Count, left.Count)));
        }
        _history.Add(new WeakNasIteration(iteration, n, topN, candidates.Count, fitSeconds, clock.Elapsed.TotalSeconds - fitSeconds,
            model.Epochs));
        return [.. chosen];
    }
}
