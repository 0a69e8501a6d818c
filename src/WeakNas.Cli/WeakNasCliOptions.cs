using System.CommandLine;
using WeakNas.Spaces;
using WeakNas.Experiments;
using WeakNas.Predictors;
using WeakNas.Predictors.Gbdt;
using WeakNas.Strategies;
using WeakNas.Studies;

namespace WeakNas.Cli;

/// <summary>The WeakNAS settings `search` and `bench` share: one definition, one validation, one set of messages.</summary>
internal sealed class WeakNasCliOptions
{
    private readonly Option<bool> _paper = new("--paper") { Description = "Start from the paper's WeakNAS setting instead of this project's defaults: 10 per iteration from the top-100, no exploration, a 4x1000 MLP fitted to the accuracies (nb101: 100 initial; ofa-mbv3: 100 initial, then 100 per iteration from the top-1,000 with gradient-boosted trees)." };
    private readonly Option<int?> _initial = new("--initial") { Description = "WeakNAS M0: random architectures before the first predictor (default 10; --paper on nb101: 100)." };
    private readonly Option<int?> _perIteration = new("--per-iteration") { Description = "WeakNAS M: architectures evaluated per iteration (default 5; --paper: 10)." };
    private readonly Option<int?> _top = new("--top") { Description = "WeakNAS N: sample from the predicted top-N (sets --top-start and --top-end; default 20; --paper: 100)." };
    private readonly Option<int?> _topStart = new("--top-start") { Description = "N at the first iteration." };
    private readonly Option<int?> _topEnd = new("--top-end") { Description = "N at the last iteration." };
    private readonly Option<double?> _topDecay = new("--top-decay") { Description = "Exponential decay base of the N schedule (default 0.96)." };
    private readonly Option<int?> _stallPatience = new("--stall-patience") { Description = "Widen N after this many iterations without a new best (default 0: never)." };
    private readonly Option<double?> _stallWiden = new("--stall-widen") { Description = "Factor N grows by per --stall-patience iterations without a new best (default 2)." };
    private readonly Option<int?> _explore = new("--explore") { Description = "How many of each iteration's M are drawn at random from outside the top-N (default 1; --paper: 0)." };
    private readonly Option<string?> _hidden = new("--hidden") { Description = "Predictor hidden layer sizes, comma-separated (default 256,256,256,256; --paper: 1000,1000,1000,1000)." };
    private readonly Option<int?> _epochs = new("--epochs") { Description = "Predictor's maximum training epochs (default 100)." };
    private readonly Option<string?> _predictor = new("--predictor") { Description = "WeakNAS's weak predictor: mlp (a multi-layer perceptron, the default) or gbdt (LightGBM's gradient-boosted trees, the paper's choice for ofa-mbv3, which --paper takes there)." };
    private readonly Option<int?> _trees = new("--trees") { Description = "GBDT boosting rounds, 1 to 100000 (default 1000)." };
    private readonly Option<int?> _treeDepth = new("--tree-depth") { Description = "GBDT greatest tree depth, 1 to 64 (default 20)." };
    private readonly Option<int?> _treeLeaves = new("--tree-leaves") { Description = "GBDT greatest leaves per tree, 2 to 131072 (default 1024)." };
    private readonly Option<double?> _treeLearningRate = new("--tree-learning-rate") { Description = "GBDT shrinkage per tree, in (0, 1] (default 0.3, XGBoost's)." };
    private readonly Option<int?> _predictors = new("--predictors") { Description = "Weak predictors fitted per WeakNAS iteration, ranking by their mean prediction (default 1)." };
    private readonly Option<int?> _greedy = new("--greedy") { Description = "How many of each iteration's draws from the top-N are the best-predicted unevaluated architectures instead of uniform draws (default 0)." };
    private readonly Option<double?> _greedyWhenSure = new("--greedy-when-sure") { Description = "Draw every top-N sample greedily (the best-predicted) while the weak predictors' held-out ordering of their own earlier draws, Kendall's tau pooled over the batches so far, is at least this value, 0 to 1 (default off)." };
    private readonly Option<string?> _targets = new("--targets") { Description = "What the weak predictor is fitted to: rank (each evaluated architecture's rank among those evaluated, the default) or value (the search metric; --paper)." };
    private readonly Option<bool> _agreement = new("--agreement") { Description = "Fit a second weak predictor each iteration and draw at once the best-predicted architectures both rank among their best; the other draws stay uniform from the top-N." };
    private readonly Option<bool> _pathEncoding = new("--path-encoding") { Description = "Rank with the space's path encoding (BANANAS's; nb201, nb101, darts) instead of its predictor encoding." };
    private readonly Option<bool> _warmStart = new("--warm-start") { Description = "Start each WeakNAS predictor from the previous one's weights (ablation)." };

    private Option[] All => [_paper, _initial, _perIteration, _top, _topStart, _topEnd, _topDecay, _stallPatience, _stallWiden, _explore, _hidden, _epochs, _predictor, _trees, _treeDepth, _treeLeaves, _treeLearningRate, _warmStart, _predictors, _greedy, _greedyWhenSure, _targets, _pathEncoding, _agreement];

    /// <summary>The strategies that read these settings; the others are not held to them.</summary>
    public static readonly IReadOnlyList<string> UsedBy = ["weaknas", "weaknas-ei"];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>
    /// The settings a command line asks for. When one of <paramref name="strategies"/> is WeakNAS they are checked (any
    /// impossible value is an <see cref="InvalidInputException"/>); otherwise nothing reads them, so nothing is checked,
    /// and <paramref name="notes"/> is told which given options are ignored.
    /// </summary>
    public WeakNasOptions Build(ParseResult parse, string space, int budget, IReadOnlyCollection<string> strategies, TextWriter notes)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(notes);
        var options = Read(parse, space, budget);
        if (strategies.Any(UsedBy.Contains))
        {
            Validate(options);
            return options;
        }
        var given = All.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
            notes.WriteLine($"weaknas: note: {string.Join(", ", given)} {(given.Count == 1 ? "applies" : "apply")} to {string.Join(" and ", UsedBy)} only; ignored by {string.Join(", ", strategies)}");
        return options;
    }

    private WeakNasOptions Read(ParseResult parse, string space, int budget)
    {
        // A built-in space's own defaults (NAS-Bench-101: the paper's); a declared space takes the general ones.
        var provider = SpaceRegistry.Find(space);
        var d = parse.GetValue(_paper) ? provider?.Paper ?? WeakNasOptions.Paper : provider?.Defaults ?? new WeakNasOptions();
        var options = d with
        {
            InitialSamples = parse.GetValue(_initial) ?? d.InitialSamples,
            SamplesPerIteration = parse.GetValue(_perIteration) ?? d.SamplesPerIteration,
            TopStart = parse.GetValue(_topStart) ?? parse.GetValue(_top) ?? d.TopStart,
            TopEnd = parse.GetValue(_topEnd) ?? parse.GetValue(_top) ?? d.TopEnd,
            TopDecay = parse.GetValue(_topDecay) ?? d.TopDecay,
            StallPatience = parse.GetValue(_stallPatience) ?? d.StallPatience,
            StallWiden = parse.GetValue(_stallWiden) ?? d.StallWiden,
            Explore = parse.GetValue(_explore) ?? d.Explore,
            Budget = budget,
            Predictor = d.Predictor with
            {
                HiddenLayers = parse.GetValue(_hidden) is { } hidden ? ParseLayers(hidden) : d.Predictor.HiddenLayers,
                MaxEpochs = parse.GetValue(_epochs) ?? d.Predictor.MaxEpochs,
            },
            WarmStart = parse.GetValue(_warmStart) || d.WarmStart,
            Predictors = parse.GetValue(_predictors) ?? d.Predictors,
            Greedy = parse.GetValue(_greedy) ?? d.Greedy,
            GreedyWhenSure = parse.GetValue(_greedyWhenSure) ?? d.GreedyWhenSure,
            Targets = parse.GetValue(_targets) is not { } targets ? d.Targets
                : WeakNasTargetNames.Parse(targets) ?? throw new InvalidInputException($"--targets '{StudyMetrics.Shorten(targets, 40)}' is not a target; expected value or rank"),
            PathEncoding = parse.GetValue(_pathEncoding) || d.PathEncoding,
            Agreement = parse.GetValue(_agreement) || d.Agreement,
        };
        return options with { Regressor = ReadRegressor(parse, d.Regressor) };
    }

    /// <summary>The GBDT settings the command line asks for, or null for the MLP; GBDT options without --predictor gbdt are an error.</summary>
    private GbdtRegressorOptions? ReadRegressor(ParseResult parse, IRegressorOptions? spaceDefault)
    {
        string? name = parse.GetValue(_predictor);
        if (name is not (null or "mlp" or "gbdt"))
            throw new InvalidInputException($"--predictor '{name}' is not a predictor; expected mlp or gbdt");
        var gbdt = name switch { "gbdt" => spaceDefault as GbdtRegressorOptions ?? new GbdtRegressorOptions(), "mlp" => null, _ => spaceDefault as GbdtRegressorOptions };
        Option[] treeOptions = [_trees, _treeDepth, _treeLeaves, _treeLearningRate];
        if (gbdt == null)
        {
            if (treeOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                throw new InvalidInputException($"{given.Name} sets the GBDT predictor; add --predictor gbdt");
            return null;
        }
        if (parse.GetResult(_hidden) is { Implicit: false })
            throw new InvalidInputException(name == null
                ? "--hidden sets the MLP predictor, and this space's --paper setting uses gbdt: add --predictor mlp"
                : "--hidden sets the MLP predictor; it does not apply with --predictor gbdt");
        gbdt = gbdt with
        {
            Trees = parse.GetValue(_trees) ?? gbdt.Trees,
            MaxDepth = parse.GetValue(_treeDepth) ?? gbdt.MaxDepth,
            MaxLeaves = parse.GetValue(_treeLeaves) ?? gbdt.MaxLeaves,
            LearningRate = parse.GetValue(_treeLearningRate) ?? gbdt.LearningRate,
        };
        try
        {
            gbdt.Validate();
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException(e.Message.Replace("GBDT trees", "--trees", StringComparison.Ordinal).Replace("GBDT depth", "--tree-depth", StringComparison.Ordinal)
                .Replace("GBDT leaves", "--tree-leaves", StringComparison.Ordinal).Replace("GBDT learning rate", "--tree-learning-rate", StringComparison.Ordinal));
        }
        return gbdt;
    }

    private static void Validate(WeakNasOptions options)
    {
        if (options.InitialSamples <= 0) throw new InvalidInputException($"--initial must be positive, got {options.InitialSamples}");
        if (options.SamplesPerIteration <= 0) throw new InvalidInputException($"--per-iteration must be positive, got {options.SamplesPerIteration}");
        if (options.Budget < options.InitialSamples)
            throw new InvalidInputException($"--budget {options.Budget} is below --initial {options.InitialSamples}: the first predictor would never be fitted");
        if (options.TopStart <= 0 || options.TopEnd <= 0)
            throw new InvalidInputException($"--top must be positive, got start {options.TopStart}, end {options.TopEnd}");
        int smallestTop = Math.Min(options.TopStart, options.TopEnd);
        if (smallestTop < options.SamplesPerIteration)
            throw new InvalidInputException($"--top {smallestTop} is below --per-iteration {options.SamplesPerIteration}: cannot draw M architectures from the top-N");
        if (!(options.TopDecay > 0)) throw new InvalidInputException($"--top-decay must be positive, got {options.TopDecay}");
        if (options.StallPatience < 0) throw new InvalidInputException($"--stall-patience must be zero or positive, got {options.StallPatience}");
        if (!(options.StallWiden >= 1)) throw new InvalidInputException($"--stall-widen must be at least 1, got {options.StallWiden}");
        if (options.Explore < 0 || options.Explore > options.SamplesPerIteration)
            throw new InvalidInputException($"--explore {options.Explore} must be between 0 and --per-iteration {options.SamplesPerIteration}");
        if (options.Predictors <= 0) throw new InvalidInputException($"--predictors must be positive, got {options.Predictors}");
        if (options.Greedy < 0 || options.Greedy > options.SamplesPerIteration - options.Explore)
            throw new InvalidInputException($"--greedy {options.Greedy} must be between 0 and --per-iteration minus --explore ({options.SamplesPerIteration - options.Explore})");
        if (options.Predictor.MaxEpochs <= 0) throw new InvalidInputException($"--epochs must be positive, got {options.Predictor.MaxEpochs}");
        options.Validate();
    }

    /// <summary>The most hidden layers, units per layer and weights a predictor may have: it is a weak predictor, and must fit in memory.</summary>
    internal const int MaxLayers = 16, MaxUnits = 16_384;

    internal const long MaxWeights = 100_000_000;

    internal static int[] ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxLayers) throw new InvalidInputException($"--hidden '{StudyMetrics.Shorten(text, 60)}': {parts.Length} layers, at most {MaxLayers}");
        var layers = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out layers[i]) || layers[i] <= 0 || layers[i] > MaxUnits)
                throw new InvalidInputException($"--hidden '{StudyMetrics.Shorten(text, 60)}': layer {i + 1} is '{parts[i]}', expected a whole number from 1 to {MaxUnits}");
        }
        long weights = 0;
        for (int i = 1; i < layers.Length; i++) weights += (long)layers[i - 1] * layers[i];
        if (weights > MaxWeights)
            throw new InvalidInputException($"--hidden '{StudyMetrics.Shorten(text, 60)}': {weights:N0} weights between its layers, at most {MaxWeights:N0} (a weak predictor; about {MaxWeights * 16 / 1_000_000_000} GB with its gradients and Adam's moments)");
        return layers;
    }
}
