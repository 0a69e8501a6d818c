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
    private readonly ArchitectureCatalogue<TArch> _catalogue;
    private readonly ArchitectureEncoding<TArch> _encoding;
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
        : this(ArchitectureCatalogue<TArch>.Listed(space), new ArchitectureEncoding<TArch>(featureCount, (_, _) => throw new InvalidOperationException("a listed encoding reads its matrix"), () => encodedSpace),
            options, seed, admissible)
    {
    }

    /// <param name="catalogue">The space's architectures as handles: listed (handle = index) or open.</param>
    /// <param name="encoding">The (path) encoding; a listed catalogue reads the encoding's matrix.</param>
    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public Bananas(ArchitectureCatalogue<TArch> catalogue, ArchitectureEncoding<TArch> encoding, BananasOptions options, ulong seed, Func<int, bool>? admissible = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _admissible = admissible;
        options.Validate();
        _catalogue = catalogue ?? throw new ArgumentNullException(nameof(catalogue));
        _encoding = encoding ?? throw new ArgumentNullException(nameof(encoding));
        _featureCount = encoding.Length;
        _options = options;
        _regressor = options.Predictor.Create();
        _seed = seed;
    }

    public string Name => "bananas";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_catalogue.Size is int size && _told.Count >= size) return [];
        var rng = Rng.Derive(_seed, (ulong)_told.Count);
        if (_told.Count < _options.InitialSamples)
        {
            var initial = InitialDraw();
            var fresh = initial.Where(i => !_told.Contains(i));
            // An admissible pool that changes between asks (a runtime model learns) must not stretch the initial phase.
            if (_admissible != null) fresh = fresh.Take(_options.InitialSamples - _told.Count);
            var batch = fresh.Take(maxCount).ToArray();
            if (batch.Length > 0 || _admissible == null) return batch;
        }
        if (_history.Count == 0)
        {
            // Every architecture so far was excluded (its evaluation failed): nothing to fit or mutate, so sample at random.
            return AllFailedDraw(Math.Min(maxCount, _options.SamplesPerIteration), rng);
        }

        var candidates = MakeCandidates(rng);
        if (candidates.Count == 0) return [];
        int f = _featureCount;
        var trainX = _encoding.Rows(_catalogue, _history.Select(h => h.Index).ToArray());
        var trainY = new float[_history.Count];
        for (int i = 0; i < _history.Count; i++) trainY[i] = (float)_history[i].Accuracy;
        var candidateX = _encoding.Rows(_catalogue, candidates);

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
        var parents = _history.Select(h => (h.Index, h.Accuracy)).ToList();
        // Best first; equal results ordered by the catalogue (by index in a listed space).
        parents.Sort((a, b) =>
        {
            int c = b.Accuracy.CompareTo(a.Accuracy);
            return c != 0 ? c : _catalogue.CompareTies(a.Index, b.Index);
        });
        var parentHandles = parents.Take(_options.MutateTop).Select(h => h.Index).ToArray();
        var seen = new HashSet<int>();
        var candidates = new List<int>(_options.Candidates);
        int attempts = 0, maxAttempts = 20 * _options.Candidates;
        while (candidates.Count < _options.Candidates && attempts++ < maxAttempts)
        {
            var arch = _catalogue[parentHandles[attempts % parentHandles.Length]];
            int edits = 1 + attempts % _options.MaxMutationEdits;
            for (int e = 0; e < edits; e++) arch = _catalogue.Space.Mutate(arch, rng);
            int index = _catalogue.HandleOf(arch);
            if (!_told.Contains(index) && Admissible(index) && seen.Add(index)) candidates.Add(index);
        }
        // A neighbourhood exhausted by mutation is topped up with random unevaluated architectures.
        if (_catalogue.Size is int size && _admissible != null)
        {
            if (candidates.Count < _options.Candidates)
            {
                var left = Enumerable.Range(0, size).Where(i => !_told.Contains(i) && !seen.Contains(i) && _admissible(i)).ToArray();
                candidates.AddRange(rng.Choose(left, Math.Min(_options.Candidates - candidates.Count, left.Length)));
            }
            return candidates;
        }
        // Rejection sampling: until the listed space is used up, or (open space) for a bounded number of draws.
        for (long draw = 0; candidates.Count < _options.Candidates; draw++)
        {
            if (_catalogue.Size is int listed ? _told.Count + candidates.Count >= listed : draw >= 50L * _options.Candidates) break;
            int index = _catalogue.HandleOf(_catalogue.Space.Sample(rng));
            if (!_told.Contains(index) && Admissible(index) && seen.Add(index)) candidates.Add(index);
        }
        return candidates;
    }

    /// <summary>The initial random architectures: a draw from the listed space, or distinct samples of an open one.</summary>
    private IReadOnlyList<int> InitialDraw()
    {
        var rng = Rng.Derive(_seed, ulong.MaxValue);
        if (_catalogue.Size is int size)
        {
            var all = Enumerable.Range(0, size).Where(Admissible).ToArray();
            return rng.Choose(all, Math.Min(_options.InitialSamples, all.Length));
        }
        return Samples(_options.InitialSamples, rng, _ => true);
    }

    /// <summary>Every architecture so far failed: a uniform draw among the untold admissible ones.</summary>
    private IReadOnlyList<int> AllFailedDraw(int count, Rng rng)
    {
        if (_catalogue.Size is not int size) return Samples(count, rng, i => !_told.Contains(i));
        var untold = Enumerable.Range(0, size).Where(i => !_told.Contains(i) && Admissible(i)).ToArray();
        return rng.Choose(untold, Math.Min(count, untold.Length));
    }

    /// <summary>Up to <paramref name="count"/> distinct admissible samples of an open space that pass <paramref name="keep"/>.</summary>
    private List<int> Samples(int count, Rng rng, Func<int, bool> keep) => _catalogue.Draw(count, rng, i => keep(i) && Admissible(i));
}
