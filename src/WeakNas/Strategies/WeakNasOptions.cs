using WeakNas.Predictors;

namespace WeakNas.Strategies;

/// <summary>
/// Settings of <see cref="WeakNasStrategy"/>. Defaults: 10 random architectures, then 5 per iteration, 4 drawn from the
/// predicted top-20 and 1 at random from outside it, with a 4×256 MLP fitted to the evaluated architectures' ranks:
/// chosen on NAS-Bench-201 pilots (seeds 0–29, docs/results/nas-bench-201-pilots.md and weaknas-diagnosis.md) where the paper's setting (<see cref="Paper"/>: 10 per iteration from the top-100,
/// 4×1000 MLP) needed more queries and, in 3 of 10 CIFAR-10 runs (4 of 30 with a 4×256 MLP), never left a local basin.
/// </summary>
public sealed record WeakNasOptions
{
    /// <summary>M0: random architectures evaluated before the first predictor.</summary>
    public int InitialSamples { get; init; } = 10;

    /// <summary>M: architectures evaluated per iteration.</summary>
    public int SamplesPerIteration { get; init; } = 5;

    /// <summary>N at the first iteration.</summary>
    public int TopStart { get; init; } = 20;

    /// <summary>N at the last iteration.</summary>
    public int TopEnd { get; init; } = 20;

    /// <summary>Base of the exponential N schedule, as the reference implementation's top_decay.</summary>
    public double TopDecay { get; init; } = 0.96;

    /// <summary>Total evaluations planned; fixes the number of iterations the N schedule spans.</summary>
    public int Budget { get; init; } = 1000;

    public MlpRegressorOptions Predictor { get; init; } = new() { HiddenLayers = [256, 256, 256, 256] };

    /// <summary>Another regressor in place of the MLP of <see cref="Predictor"/> (e.g. gradient-boosted trees); null for the MLP.</summary>
    public IRegressorOptions? Regressor { get; init; }

    /// <summary>The weak predictor's learning algorithm these options choose.</summary>
    public IRegressor CreateRegressor() => Regressor?.Create() ?? Predictor.Create();

    /// <summary>
    /// The paper's NAS-Bench-201 setting: 10 random, then 10 per iteration uniformly from the predicted top-100, no
    /// exploration, a 4×1000 MLP (scikit-learn's defaults otherwise).
    /// </summary>
    public static WeakNasOptions Paper { get; } = new()
    {
        SamplesPerIteration = 10, TopStart = 100, TopEnd = 100, Explore = 0, Predictor = new MlpRegressorOptions(), Targets = WeakNasTargets.Value,
    };

    /// <summary>
    /// Uniform: M drawn uniformly from the predicted top-N (the paper's WeakNAS). ExpectedImprovement: an ensemble
    /// of <see cref="EnsembleSize"/> predictors scores the whole space by EI on their mean and spread (spread divided
    /// by 5, the reference's calibration) and the M best unevaluated are taken (the reference's EI variant).
    /// </summary>
    public WeakNasSampling Sampling { get; init; } = WeakNasSampling.Uniform;

    /// <summary>
    /// Start each iteration's MLP from the previous iteration's weights (an ablation; the paper refits from scratch).
    /// The weights chain through the fits this instance made, so a strategy rebuilt from history starts afresh.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>
    /// Stall widening (0 = off): after this many consecutive iterations whose batch did not improve the best search
    /// accuracy, N is multiplied by <see cref="StallWiden"/>, and again after each further such run of iterations; a new
    /// best returns N to the schedule. It lets a search that has settled in a local basin sample beyond it.
    /// </summary>
    public int StallPatience { get; init; }

    /// <summary>Factor N grows by per <see cref="StallPatience"/> iterations without a new best.</summary>
    public double StallWiden { get; init; } = 2;

    /// <summary>How many of each iteration's M are drawn uniformly from every unevaluated architecture (0 = none).</summary>
    public int Explore { get; init; } = 1;

    /// <summary>Predictors fitted per iteration when sampling by expected improvement.</summary>
    public int EnsembleSize { get; init; } = 5;

    /// <summary>
    /// Uniform sampling: weak predictors fitted per iteration (each from its own random initialisation) whose mean
    /// prediction ranks the candidates; 1 is the paper's single predictor.
    /// </summary>
    public int Predictors { get; init; } = 1;

    /// <summary>
    /// Uniform sampling: how many of each iteration's draws from the top-N are instead the best-predicted unevaluated
    /// architectures (0 = all uniform, the paper's).
    /// </summary>
    public int Greedy { get; init; }

    /// <summary>
    /// Uniform sampling: a held-out switch to greedy draws (null = off). Each batch's draws from the top-N are evaluated
    /// in the order the predictor that chose them ranks them, so the told history records how well each weak predictor
    /// ordered the architectures it picked before it saw their results. While Kendall's τ over the pairs of those draws,
    /// pooled over every earlier batch, is at least this value (0 to 1), all the draws from the top-N are the
    /// best-predicted unevaluated architectures; below it they stay uniform (with <see cref="Greedy"/> greedy ones).
    /// </summary>
    public double? GreedyWhenSure { get; init; }

    /// <summary>
    /// What the weak predictor is fitted to: each evaluated architecture's rank among the evaluated ones (the default,
    /// chosen on NAS-Bench-201 pilots, docs/results/weaknas-diagnosis.md) or the search metric itself (the paper's).
    /// </summary>
    public WeakNasTargets Targets { get; init; } = WeakNasTargets.Rank;

    /// <summary>
    /// Uniform sampling: fit a second weak predictor (another initialisation) as a second opinion; of the best-predicted
    /// unevaluated architectures, as many as there are draws from the top-N, those the second predictor also ranks among
    /// its best as many are drawn at once, the other draws staying uniform from the top-N. Where the two agree the batch
    /// is spent greedily; where they disagree it stays the paper's uniform draw.
    /// </summary>
    public bool Agreement { get; init; }

    /// <summary>Rank with the space's path encoding (BANANAS's) instead of its predictor encoding, where it has one.</summary>
    public bool PathEncoding { get; init; }

    public void Validate()
    {
        Require(InitialSamples > 0, $"initial samples (M0) must be positive, got {InitialSamples}");
        Require(SamplesPerIteration > 0, $"samples per iteration (M) must be positive, got {SamplesPerIteration}");
        Require(TopStart > 0 && TopEnd > 0, $"top-N must be positive, got start {TopStart}, end {TopEnd}");
        Require(TopEnd >= SamplesPerIteration, $"top-N ({TopEnd}) must be at least the samples per iteration M ({SamplesPerIteration})");
        Require(TopStart >= SamplesPerIteration, $"top-N start ({TopStart}) must be at least the samples per iteration M ({SamplesPerIteration})");
        Require(TopDecay > 0, $"top-N decay must be positive, got {TopDecay}");
        Require(StallPatience >= 0, $"stall patience must be zero (off) or positive, got {StallPatience}");
        Require(StallWiden >= 1, $"stall widening factor must be at least 1, got {StallWiden}");
        Require(Explore >= 0 && Explore <= SamplesPerIteration, $"explore ({Explore}) must be between 0 and the samples per iteration M ({SamplesPerIteration})");
        Require(EnsembleSize > 0, $"ensemble size must be positive, got {EnsembleSize}");
        Require(Predictors > 0, $"predictors per iteration must be positive, got {Predictors}");
        Require(Greedy >= 0 && Greedy <= SamplesPerIteration - Explore, $"greedy draws ({Greedy}) must be between 0 and the draws from the top-N, M - explore ({SamplesPerIteration - Explore})");
        Require(GreedyWhenSure is null or (>= 0 and <= 1), $"greedy-when-sure threshold must be between 0 and 1, got {GreedyWhenSure}");
        Require(Budget >= InitialSamples, $"budget ({Budget}) is below the initial samples M0 ({InitialSamples})");
        Predictor.Validate();
        if (Regressor is Predictors.Gbdt.GbdtRegressorOptions gbdt) gbdt.Validate();

        static void Require(bool condition, string message)
        {
            if (!condition) throw new InvalidInputException(message);
        }
    }

    /// <summary>Number of predictor iterations the budget allows after the initial samples.</summary>
    public int Iterations => (int)Math.Ceiling((Budget - InitialSamples) / (double)SamplesPerIteration);

    /// <summary>
    /// N for fit <paramref name="iteration"/> (0-based). As the reference: its Iterations + 1 fits (it also fits
    /// after the last batch) are spread over x in [0, 99], y = decay^x is rescaled to [end, start] and truncated.
    /// </summary>
    public int TopN(int iteration)
    {
        int count = Iterations + 1;
        if (count == 1 || TopStart == TopEnd) return TopStart;
        iteration = Math.Clamp(iteration, 0, count - 1);
        double First(double x) => Math.Pow(TopDecay, x);
        double x = 99.0 * iteration / (count - 1);
        double y0 = First(0), y1 = First(99);
        double max = Math.Max(y0, y1), min = Math.Min(y0, y1);
        if (max == min) return TopStart;
        double unit = (First(x) - min) / (max - min);
        return (int)(unit * (TopStart - TopEnd) + TopEnd);
    }

    /// <summary>
    /// N for fit <paramref name="iteration"/> after <paramref name="stalledIterations"/> consecutive iterations without a
    /// new best: the schedule's N, widened by <see cref="StallWiden"/> per <see cref="StallPatience"/> stalled iterations.
    /// </summary>
    public int TopN(int iteration, int stalledIterations, int spaceSize)
    {
        double n = TopN(iteration);
        if (StallPatience > 0) n *= Math.Pow(StallWiden, stalledIterations / StallPatience);
        return (int)Math.Min(n, spaceSize);
    }
}
