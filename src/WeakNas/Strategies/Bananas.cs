using WeakNas.Numerics;
using WeakNas.Predictors;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// BANANAS (White et al., AAAI 2021): Bayesian optimisation with an ensemble of neural predictors on a path
/// encoding. After random initial samples, each iteration fits the ensemble on everything evaluated, makes
/// candidates by mutating the best architectures, and evaluates the k candidates with the best acquisition
/// score. Randomness derives from the seed and the number told, so replaying the history rebuilds it. Under a
/// constraint, initial samples and candidates are drawn among the admissible architectures only.
/// </summary>
public sealed class Bananas<TArch> : ISearchStrategy where TArch : notnull, IEquatable<TArch>
{
    private readonly IEnumerableSearchSpace<TArch> _space;
    private readonly float[] _encoded;
    private readonly int _featureCount;
    private readonly BananasOptions _options;
    private readonly IRegressor _regressor;
    private readonly ulong _seed;
    private readonly List<(int Index, double Accuracy)> _history = [];
    private readonly HashSet<int> _told = [];
    private readonly Func<int, bool>? _admissible;

    /// <param name="encodedSpace">Every architecture's (path) encoding, row i for index i.</param>
    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public Bananas(IEnumerableSearchSpace<TArch> space, float[] encodedSpace, int featureCount, BananasOptions options, ulong seed, Func<int, bool>? admissible = null)
    {
        _admissible = admissible;
        options.Validate();
        _space = space;
        _encoded = encodedSpace;
        _featureCount = featureCount;
        _options = options;
        _regressor = new MlpRegressor(options.Predictor);
        _seed = seed;
    }

    public string Name => "bananas";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_told.Count >= _space.Count) return [];
        var rng = Rng.Derive(_seed, (ulong)_told.Count);
        if (_told.Count < _options.InitialSamples)
        {
            var all = Enumerable.Range(0, _space.Count).Where(Admissible).ToArray();
            var initial = Rng.Derive(_seed, ulong.MaxValue).Choose(all, Math.Min(_options.InitialSamples, all.Length));
            var fresh = initial.Where(i => !_told.Contains(i));
            // An admissible pool that changes between asks (a runtime model learns) must not stretch the initial phase.
            if (_admissible != null) fresh = fresh.Take(_options.InitialSamples - _told.Count);
            var batch = fresh.Take(maxCount).ToArray();
            if (batch.Length > 0 || _admissible == null) return batch;
        }
        if (_history.Count == 0)
        {
            // Every architecture so far was excluded (its evaluation failed): nothing to fit or mutate, so sample at random.
            var untold = Enumerable.Range(0, _space.Count).Where(i => !_told.Contains(i) && Admissible(i)).ToArray();
            return rng.Choose(untold, Math.Min(Math.Min(maxCount, _options.SamplesPerIteration), untold.Length));
        }

        var candidates = MakeCandidates(rng);
        if (candidates.Count == 0) return [];
        int f = _featureCount;
        var trainX = new float[_history.Count * f];
        var trainY = new float[_history.Count];
        for (int i = 0; i < _history.Count; i++)
        {
            _encoded.AsSpan(_history[i].Index * f, f).CopyTo(trainX.AsSpan(i * f));
            trainY[i] = (float)_history[i].Accuracy;
        }
        var candidateX = new float[candidates.Count * f];
        for (int i = 0; i < candidates.Count; i++) _encoded.AsSpan(candidates[i] * f, f).CopyTo(candidateX.AsSpan(i * f));

        var (mean, std) = EnsemblePrediction.Predict(_regressor, _options.EnsembleSize, trainX, f, trainY, candidateX, _seed, 1_000_000UL * (ulong)(_told.Count + 1));
        double best = _history.Max(h => h.Accuracy);
        var score = EnsemblePrediction.Score(_options.Acquisition, mean, std, best, rng);
        int take = Math.Min(maxCount, _options.SamplesPerIteration);
        return EnsemblePrediction.Top(score, take).Select(i => candidates[i]).ToArray();
    }

    public void Exclude(int index) => _told.Add(index);

    private bool Admissible(int index) => _admissible == null || _admissible(index);

    public void Tell(int index, double searchAccuracy)
    {
        if (_told.Add(index)) _history.Add((index, searchAccuracy));
    }

    /// <summary>Distinct unevaluated mutations (1..MaxMutationEdits edits) of the best architectures so far.</summary>
    private List<int> MakeCandidates(Rng rng)
    {
        var parents = _history.OrderByDescending(h => h.Accuracy).ThenBy(h => h.Index).Take(_options.MutateTop).Select(h => h.Index).ToArray();
        var seen = new HashSet<int>();
        var candidates = new List<int>(_options.Candidates);
        int attempts = 0, maxAttempts = 20 * _options.Candidates;
        while (candidates.Count < _options.Candidates && attempts++ < maxAttempts)
        {
            var arch = _space[parents[attempts % parents.Length]];
            int edits = 1 + attempts % _options.MaxMutationEdits;
            for (int e = 0; e < edits; e++) arch = _space.Mutate(arch, rng);
            int index = _space.IndexOf(arch);
            if (!_told.Contains(index) && Admissible(index) && seen.Add(index)) candidates.Add(index);
        }
        // A neighbourhood exhausted by mutation is topped up with random unevaluated architectures.
        if (_admissible == null)
        {
            while (candidates.Count < _options.Candidates && _told.Count + candidates.Count < _space.Count)
            {
                int index = _space.IndexOf(_space.Sample(rng));
                if (!_told.Contains(index) && seen.Add(index)) candidates.Add(index);
            }
        }
        else if (candidates.Count < _options.Candidates)
        {
            var left = Enumerable.Range(0, _space.Count).Where(i => !_told.Contains(i) && !seen.Contains(i) && _admissible(i)).ToArray();
            candidates.AddRange(rng.Choose(left, Math.Min(_options.Candidates - candidates.Count, left.Length)));
        }
        return candidates;
    }
}
