using System.Diagnostics;
using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Strategies;

/// <summary>
/// WeakNAS (Wu et al., NeurIPS 2021): evaluate M0 random architectures; then repeatedly fit a weak predictor
/// on every architecture evaluated so far, rank the whole space with it, and evaluate M architectures drawn
/// uniformly from the not-yet-evaluated members of the predicted top-N (when fewer than M remain there,
/// the best-predicted unevaluated ones). Every random choice comes from a stream derived from the seed and
/// the number of architectures told, so the same history always gives the same next batch. What is ranked comes from
/// an <see cref="ICandidateSource"/>: the whole listed space (the paper's NAS-Bench setting), a pool drawn once, or
/// fresh candidates each iteration in a space too large to list.
/// <para>
/// Under a constraint (an <c>admissible</c> predicate), only admissible architectures are drawn, ranked and sampled:
/// the initial M0 are drawn from them, the top-N is the best N admissible by prediction, and exploration draws from
/// the admissible rest. The predictor still learns from every architecture told.
/// </para>
/// </summary>
public sealed class WeakNasStrategy : ISearchStrategy
{
    private readonly ICandidateSource _source;
    private readonly int _featureCount;
    private readonly WeakNasOptions _options;
    private readonly IRegressor _regressor;
    private readonly ulong _seed;
    private readonly List<int> _toldIndices = [];
    private readonly List<float> _toldAccuracies = [];
    private readonly HashSet<int> _told = [];
    private float[] _predictions = [];
    private int[] _order = [];
    private readonly Func<int, bool>? _admissible;

    /// <param name="encodedSpace">Every architecture's features, row i for index i.</param>
    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all. It may change as
    /// architectures are told, but must depend on nothing else, so that replaying the history rebuilds the strategy.</param>
    public WeakNasStrategy(float[] encodedSpace, int featureCount, WeakNasOptions options, ulong seed, IRegressor? regressor = null, Func<int, bool>? admissible = null)
        : this(new ListedCandidates(encodedSpace, featureCount), options, seed, regressor, admissible)
    {
    }

    /// <param name="source">What each iteration ranks; its handles are what the strategy proposes and is told.</param>
    /// <param name="admissible">As for the listed constructor.</param>
    public WeakNasStrategy(ICandidateSource source, WeakNasOptions options, ulong seed, IRegressor? regressor = null, Func<int, bool>? admissible = null)
    {
        options.Validate();
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _featureCount = source.FeatureCount;
        _options = options;
        _regressor = regressor ?? options.CreateRegressor();
        _seed = seed;
        _admissible = admissible;
    }

    public string Name => _options.Sampling == WeakNasSampling.ExpectedImprovement ? "weaknas-ei" : "weaknas";

    private readonly List<WeakNasIteration> _history = [];
    private IRegressionModel? _previous;

    /// <summary>Information about the last predictor fit, for progress displays and diagnostics.</summary>
    public WeakNasIteration? LastIteration { get; private set; }

    /// <summary>Every predictor iteration this instance ran, in order.</summary>
    public IReadOnlyList<WeakNasIteration> Iterations => _history;

    /// <summary>
    /// Told every iteration's ranking and batch (diagnostics). Observing changes nothing the strategy does: no random
    /// draw and no choice depends on whether it is set.
    /// </summary>
    public Action<WeakNasDecision>? Decided { get; set; }

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_source.Size is int size && _told.Count >= size) return [];
        if (_told.Count < _options.InitialSamples)
        {
            var draw = _source.Initial(_options.InitialSamples, _seed, _admissible);
            if (_admissible == null) return draw.Where(i => !_told.Contains(i)).Take(maxCount).ToArray();
            // The admissible pool can change between asks (a runtime model learns), so the draw is capped at what is
            // still missing of M0 rather than trusted to repeat the earlier one.
            var batch = draw.Where(i => !_told.Contains(i)).Take(Math.Min(maxCount, _options.InitialSamples - _told.Count)).ToArray();
            if (batch.Length > 0) return batch;
        }
        if (_toldIndices.Count == 0) return RandomUntold(Math.Min(maxCount, _options.SamplesPerIteration));
        return NextBatch(Math.Min(maxCount, _options.SamplesPerIteration));
    }

    /// <summary>
    /// Every architecture so far was excluded (its evaluation failed): there is no result to fit a predictor on, so
    /// keep sampling at random, from a stream derived from the number excluded.
    /// </summary>
    private int[] RandomUntold(int size) =>
        [.. _source.Random(size, Rng.Derive(_seed, RandomStreams.AllFailed + (ulong)_told.Count), Eligible)];

    private bool Admissible(int index) => _admissible == null || _admissible(index);

    private bool Eligible(int index) => !_told.Contains(index) && Admissible(index);

    public void Exclude(int index)
    {
        CheckHandle(index);
        _told.Add(index);
    }

    public void Tell(int index, double searchAccuracy)
    {
        CheckHandle(index);
        if (!_told.Add(index)) return;
        _toldIndices.Add(index);
        _toldAccuracies.Add((float)searchAccuracy);
    }

    private void CheckHandle(int index)
    {
        if (index < 0 || (_source.Size is int size && index >= size))
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index outside 0..{(_source.Size ?? int.MaxValue) - 1}");
    }

    private int[] NextBatch(int size)
    {
        var clock = Stopwatch.StartNew();
        int n = _toldIndices.Count;
        int iteration = (n - _options.InitialSamples) / _options.SamplesPerIteration;
        var features = _source.Features(_toldIndices);

        if (_options.Sampling == WeakNasSampling.ExpectedImprovement) return NextBatchByExpectedImprovement(size, features, iteration);
        var labels = Targets();
        var model = WeakPredictor.Fit(_regressor, features, _featureCount, labels, _seed, _options.WarmStart, ref _previous);
        // Further members (an ensemble of weak predictors) on the EI variant's member streams; member 0 is the paper's fit.
        var models = new IRegressionModel[_options.Predictors];
        models[0] = model;
        for (int m = 1; m < models.Length; m++)
            models[m] = _regressor.Fit(features, _featureCount, labels, Rng.Derive(_seed, RandomStreams.Fit * (ulong)(n + 1) + (ulong)m));
        PredictRows predict = models.Length == 1 ? model.Predict : (rows, destination) => EnsemblePrediction.Mean(models, rows, destination);
        // A second opinion (agreement draws): one more weak predictor from another initialisation.
        var second = _options.Agreement ? _regressor.Fit(features, _featureCount, labels, Rng.Derive(_seed, RandomStreams.Fit * (ulong)(n + 1) + (ulong)models.Length)) : null;
        double fitSeconds = clock.Elapsed.TotalSeconds;
        var candidateSet = _source.Candidates(new CandidateRequest(_toldIndices, _toldAccuracies, Eligible, _seed, predict));
        int count = candidateSet.Count;
        if (_predictions.Length != count)
        {
            _predictions = new float[count];
            _order = new int[count];
        }
        predict(candidateSet.Features, _predictions);
        double rankSeconds = clock.Elapsed.TotalSeconds - fitSeconds;

        for (int i = 0; i < count; i++) _order[i] = i;
        // Best prediction first; ties by position (a listed space's index) so the order is deterministic.
        Array.Sort(_order, (a, b) =>
        {
            int c = _predictions[b].CompareTo(_predictions[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        if (_source.Size == null) for (int i = 0; i < count; i++) _order[i] = candidateSet.Handle(_order[i]);

        // Under a constraint, the ranking is of the admissible architectures only.
        int[] ranked = _admissible == null ? _order : Array.FindAll(_order, i => _admissible(i));
        int rankedCount = ranked.Length;
        int topN = _options.TopN(iteration, StalledIterations(), rankedCount);
        var candidates = new List<int>(topN);
        for (int i = 0; i < topN; i++) if (!_told.Contains(ranked[i])) candidates.Add(ranked[i]);

        // Exploration draws come from every unevaluated architecture outside the top-N.
        int explore = Math.Min(_options.Explore, size);
        int exploit = size - explore;
        var chosen = new List<int>(size);
        if (candidates.Count >= exploit)
        {
            // The greedy draws are the best-predicted, and with a second opinion also those of the best `exploit` that the
            // second predictor ranks among its best `exploit` too; the rest uniform from the remaining top-N.
            int greedyCount = _options.GreedyWhenSure is double sure && HeldOutTau() >= sure ? exploit : _options.Greedy;
            var greedy = candidates.Take(Math.Min(greedyCount, exploit)).ToList();
            if (second != null)
            {
                var secondBest = BestUntold(second, candidateSet, exploit);
                foreach (int handle in candidates.Take(exploit)) if (!greedy.Contains(handle) && secondBest.Contains(handle)) greedy.Add(handle);
            }
            chosen.AddRange(greedy);
            chosen.AddRange(Rng.Derive(_seed, RandomStreams.Exploit + (ulong)n).Choose(greedy.Count == 0 ? candidates : candidates.Where(h => !greedy.Contains(h)).ToList(), exploit - greedy.Count));
        }
        else
        {
            for (int i = 0; i < rankedCount && chosen.Count < exploit; i++) if (!_told.Contains(ranked[i])) chosen.Add(ranked[i]);
        }
        int exploited = chosen.Count;
        // Held-out ordering: the draws from the top-N are told in predicted order, best first.
        if (_options.GreedyWhenSure != null) SortByRank(chosen, ranked);
        if (explore > 0)
        {
            var picked = chosen.ToHashSet();
            var rest = new List<int>(Math.Max(0, rankedCount - topN));
            for (int i = topN; i < rankedCount; i++) if (!_told.Contains(ranked[i]) && !picked.Contains(ranked[i])) rest.Add(ranked[i]);
            chosen.AddRange(Rng.Derive(_seed, RandomStreams.Explore + (ulong)n).Choose(rest, Math.Min(explore, rest.Count)));
        }
        var batch = chosen.ToArray();
        Decided?.Invoke(new WeakNasDecision(iteration, n, topN, ranked, batch[..exploited], batch[exploited..]));
        LastIteration = new WeakNasIteration(iteration, n, topN, candidates.Count, fitSeconds, rankSeconds,
            model.Epochs);
        _history.Add(LastIteration);
        return batch;
    }

    /// <summary>Orders <paramref name="chosen"/> (a few handles) by their position in <paramref name="ranked"/>, best first.</summary>
    private static void SortByRank(List<int> chosen, int[] ranked)
    {
        var position = chosen.ToDictionary(h => h, h => Array.IndexOf(ranked, h));
        chosen.Sort((a, b) => position[a].CompareTo(position[b]));
    }

    /// <summary>
    /// Kendall's τ between predicted and measured order over the pairs of the first M − explore architectures of every
    /// complete batch told after the initial M0 (each batch's draws from the top-N, told best-predicted first), pooled;
    /// 0 before there is a pair. Read from the told sequence, so a strategy rebuilt from history computes the same value.
    /// </summary>
    internal double HeldOutTau()
    {
        int m0 = _options.InitialSamples, m = _options.SamplesPerIteration, n = _toldAccuracies.Count, exploit = m - _options.Explore;
        long concordant = 0, discordant = 0;
        for (int start = m0; start + m <= n; start += m)
            for (int i = start; i < start + exploit; i++)
                for (int j = i + 1; j < start + exploit; j++)
                {
                    if (_toldAccuracies[i] > _toldAccuracies[j]) concordant++;
                    else if (_toldAccuracies[i] < _toldAccuracies[j]) discordant++;
                }
        return concordant + discordant == 0 ? 0 : (concordant - discordant) / (double)(concordant + discordant);
    }

    /// <summary>The handles of the <paramref name="count"/> eligible candidates <paramref name="model"/> predicts best (ties by position).</summary>
    private HashSet<int> BestUntold(IRegressionModel model, CandidateSet candidateSet, int count)
    {
        var predictions = new float[candidateSet.Count];
        model.Predict(candidateSet.Features, predictions);
        var best = new List<int>(count + 1);
        for (int i = 0; i < predictions.Length; i++)
        {
            if (!Eligible(candidateSet.Handle(i))) continue;
            int at = best.Count;
            while (at > 0 && predictions[best[at - 1]] < predictions[i]) at--;
            if (at >= count) continue;
            best.Insert(at, i);
            if (best.Count > count) best.RemoveAt(count);
        }
        return [.. best.Select(candidateSet.Handle)];
    }

    /// <summary>What the predictor is fitted to, one per told architecture (see <see cref="WeakNasTargets"/>).</summary>
    private float[] Targets()
    {
        var values = _toldAccuracies.ToArray();
        if (_options.Targets == WeakNasTargets.Value) return values;
        var ranks = RankCorrelation.Ranks([.. values.Select(v => (double)v)]);
        var scaled = new float[values.Length];
        double span = Math.Max(1, values.Length - 1);
        for (int i = 0; i < scaled.Length; i++) scaled[i] = (float)((ranks[i] - 1) / span);
        return scaled;
    }

    /// <summary>
    /// Consecutive most recent iterations whose batch did not raise the best search accuracy, from the told sequence
    /// (the initial M0, then batches of M), so a strategy rebuilt from history computes the same count.
    /// </summary>
    private int StalledIterations()
    {
        int m0 = _options.InitialSamples, m = _options.SamplesPerIteration, n = _toldAccuracies.Count;
        if (n <= m0) return 0;
        float best = float.NegativeInfinity;
        for (int i = 0; i < m0; i++) best = Math.Max(best, _toldAccuracies[i]);
        int stalled = 0;
        for (int start = m0; start < n; start += m)
        {
            float batchBest = float.NegativeInfinity;
            for (int i = start; i < Math.Min(start + m, n); i++) batchBest = Math.Max(batchBest, _toldAccuracies[i]);
            if (batchBest > best) { best = batchBest; stalled = 0; }
            else stalled++;
        }
        return stalled;
    }

    /// <summary>The EI variant: the M unevaluated architectures with the highest expected improvement.</summary>
    private int[] NextBatchByExpectedImprovement(int size, float[] features, int iteration)
    {
        var clock = Stopwatch.StartNew();
        int n = _toldIndices.Count;
        var labels = _toldAccuracies.ToArray();
        var models = EnsemblePrediction.Fit(_regressor, _options.EnsembleSize, features, _featureCount, labels, _seed, RandomStreams.Fit * (ulong)(n + 1));
        var candidateSet = _source.Candidates(new CandidateRequest(_toldIndices, _toldAccuracies, Eligible, _seed,
            (rows, predictions) => EnsemblePrediction.Mean(models, rows, predictions)));
        var (mean, std) = EnsemblePrediction.Moments(models, candidateSet.Features, _featureCount);
        double best = labels.Max();
        const double Calibration = 5;
        var score = EnsemblePrediction.Score(Acquisition.ExpectedImprovement, mean, std, best, Rng.Derive(_seed, RandomStreams.Exploit + (ulong)n), Calibration);
        for (int i = 0; i < score.Length; i++) if (!Eligible(candidateSet.Handle(i))) score[i] = double.NegativeInfinity;
        var batch = EnsemblePrediction.Top(score, size).Select(candidateSet.Handle).Where(Eligible).ToArray();
        if (Decided != null)
            Decided(new WeakNasDecision(iteration, n, size, EnsemblePrediction.Top(score, score.Length).Select(candidateSet.Handle).ToArray(), batch, []));
        LastIteration = new WeakNasIteration(iteration, n, score.Length, score.Length - (_source.Size == null ? 0 : n), clock.Elapsed.TotalSeconds, 0, null);
        _history.Add(LastIteration);
        return batch;
    }
}
