using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeakNas.Studies;

/// <summary>
/// What a study searches and how: the space, the strategy with its settings and seed, the budget, and the fault
/// policy. Stored with the study so that any process, on any machine, rebuilds the same strategy.
/// </summary>
public sealed record StudySpec
{
    public required string Name { get; init; }

    /// <summary>Search space name (nb201), or the name of the declared space in <see cref="Declaration"/>.</summary>
    public required string Space { get; init; }

    /// <summary>
    /// A declared space's declaration as canonical JSON (<see cref="Spaces.Declared.DeclaredSpace.ToDeclarationJson"/>);
    /// null for a built-in space. The study searches a pool of <see cref="Pool"/> of its architectures drawn from
    /// <see cref="PoolSeed"/>, rebuilt alike in every process; without a pool, the whole space (WeakNAS ranking fresh
    /// candidates each iteration, as <see cref="Fresh"/> says).
    /// </summary>
    public string? Declaration { get; init; }

    /// <summary>With a declaration: how many architectures the pool holds; null to search the whole declared space.</summary>
    public int? Pool { get; init; }

    /// <summary>A declared study without a pool: how many fresh candidates WeakNAS ranks per iteration (null for the defaults).</summary>
    public FreshCandidateSettings? Fresh { get; init; }

    /// <summary>With a declaration: the seed the pool is drawn from (apart from the strategy's, so strategies can share a pool).</summary>
    public ulong? PoolSeed { get; init; }

    /// <summary>The most architectures a declared study's pool may hold.</summary>
    public const int MaxPool = 1_000_000;

    /// <summary>Strategy name, as <see cref="Experiments.StrategyFactory.Names"/>.</summary>
    public required string Strategy { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Trials the study will propose at most (complete, failed and in flight together).</summary>
    public int Budget { get; init; } = 1000;

    /// <summary>The metric, a key of the evaluator's JSON object, that the search maximises.</summary>
    public string Metric { get; init; } = "accuracy";

    /// <summary>
    /// Proposals requested from the strategy at once, at most (a batch strategy such as WeakNAS returns its own M; random
    /// search fills it). The same default as `weaknas study create --batch`.
    /// </summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>A running trial whose heartbeat is older than this is considered abandoned and re-queued.</summary>
    public double GraceSeconds { get; init; } = 60;

    /// <summary>Claims of one trial before it is failed for good (its worker vanished that many times).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>WeakNAS settings (M0, M, N schedule, predictor); null for the paper's defaults.</summary>
    public WeakNasStudySettings? WeakNas { get; init; }

    /// <summary>
    /// Latency and parameter constraints, resolved to absolute bounds at creation; null for an unconstrained study (and
    /// for every spec stored before constraints existed).
    /// </summary>
    public StudyConstraint? Constraint { get; init; }

    /// <summary>
    /// Constraints the space applies itself (a DARTS study: <c>params&lt;=X</c>, millions of parameters of the CIFAR-10
    /// network): its pool is drawn from, and its fresh candidates are, feasible genotypes only; null when unconstrained.
    /// </summary>
    public string[]? SpaceConstraints { get; init; }

    /// <summary>A once-for-all MobileNetV3 study's width, resolution, constraints and pool (null: the paper's, in its pool).</summary>
    public OfaStudySettings? Ofa { get; init; }

    public long CreatedMs { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StudySpec FromJson(string json) =>
        JsonSerializer.Deserialize<StudySpec>(json, Json) ?? throw new FormatException("study spec is null");

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200 || Name.Any(char.IsControl))
            throw new InvalidInputException($"study name '{Name}' must be 1 to 200 printable characters");
        if (Budget <= 0) throw new InvalidInputException($"study budget must be positive, got {Budget}");
        if (BatchSize <= 0) throw new InvalidInputException($"study batch size must be positive, got {BatchSize}");
        if (!(GraceSeconds > 0)) throw new InvalidInputException($"heartbeat grace must be positive seconds, got {GraceSeconds}");
        if (MaxAttempts <= 0) throw new InvalidInputException($"max attempts must be positive, got {MaxAttempts}");
        if (string.IsNullOrWhiteSpace(Metric)) throw new InvalidInputException("the study's metric name is empty");
        if (Declaration != null && Pool != null && Pool is not (> 0 and <= MaxPool))
            throw new InvalidInputException($"a declared study's pool must hold 1 to {MaxPool:N0} architectures, got {Pool}");
        if (Declaration == null && Spaces.Darts.DartsProvider.Find(Space) == null && (Pool != null || PoolSeed != null || Fresh != null))
            throw new InvalidInputException("a pool or fresh candidates belong to a declared space's study (or a darts one)");
        if (Pool != null && Fresh != null) throw new InvalidInputException("a study searches a pool or fresh candidates, not both");
        if (PoolSeed != null && Pool == null) throw new InvalidInputException("a pool seed needs a pool");
        Fresh?.ToOptions();
        WeakNas?.ToOptions(Space, Budget).Validate();
        Constraint?.Validate(Space);
        if (SpaceConstraints != null)
        {
            if (Spaces.Darts.DartsProvider.Find(Space) == null) throw new InvalidInputException($"space constraints belong to a darts study, not to {Space}");
            if (Constraint != null) throw new InvalidInputException("a study has table constraints or space constraints, not both");
            Spaces.Darts.DartsConstraint.Parse(SpaceConstraints);
        }
        if (Ofa != null && Space != Spaces.MobileNetV3.OfaMobileNetV3Provider.Instance.Name) throw new InvalidInputException("once-for-all settings belong to an ofa-mbv3 study");
        Ofa?.ToSearchSettings();
    }
}

/// <summary>
/// What an ofa-mbv3 study searches (see <see cref="Spaces.MobileNetV3.OfaSearchSettings"/>): width, resolution, the
/// constraints as written (null: the paper's FLOPs window; empty: none), and a pool (its size and seed) or, with no
/// pool, the whole constrained space with fresh candidates.
/// </summary>
public sealed record OfaStudySettings
{
    public double Width { get; init; } = 1.2;
    public int Resolution { get; init; } = Spaces.MobileNetV3.OfaSearchSettings.PaperResolution;
    public string[]? Constraints { get; init; }
    public int? Pool { get; init; }
    public ulong? PoolSeed { get; init; }
    public FreshCandidateSettings? Fresh { get; init; }

    /// <summary>The paper's: its pool of 10,000 subnets in the FLOPs window (what a study of ofa-mbv3 without settings searches).</summary>
    public static OfaStudySettings PaperPool { get; } = new() { Pool = Spaces.MobileNetV3.OfaSearchSettings.PaperPoolSize };

    /// <summary>For messages: <c>w1.2, r 236, flops&gt;=550 &amp; flops&lt;=600, a pool of 10,000 subnets (seed 0)</c>.</summary>
    public string Describe()
    {
        var settings = ToSearchSettings();
        return settings.Describe() + string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $", {(Pool is int p ? $"a pool of {p:N0} subnets (seed {settings.PoolSeed})" : "fresh candidates")}");
    }

    /// <summary>The search settings, validated; latency bounds need lookup tables that studies do not carry yet.</summary>
    public Spaces.MobileNetV3.OfaSearchSettings ToSearchSettings()
    {
        var constraints = Constraints == null ? Spaces.MobileNetV3.OfaSearchSettings.PaperWindow : Hardware.ConstraintSet.Parse(Constraints);
        if (constraints?.HasLatency == true) throw new InvalidInputException("an ofa-mbv3 study bounds flops and params; latency bounds are for searches with the lookup tables (search --space ofa-mbv3 without --evaluate)");
        if (Pool != null && Fresh != null) throw new InvalidInputException("an ofa-mbv3 study searches a pool or fresh candidates, not both");
        var settings = new Spaces.MobileNetV3.OfaSearchSettings
        {
            Width = Width, Resolution = Resolution, Constraints = constraints,
            PoolSize = Pool ?? Spaces.MobileNetV3.OfaSearchSettings.PaperPoolSize, PoolSeed = PoolSeed ?? 0,
        };
        settings.Validate();
        Fresh?.ToOptions();
        return settings;
    }
}

/// <summary>The WeakNAS options a study stores (see <see cref="Strategies.WeakNasOptions"/>); unset values take the defaults.</summary>
public sealed record WeakNasStudySettings
{
    public int? InitialSamples { get; init; }
    public int? SamplesPerIteration { get; init; }
    public int? TopStart { get; init; }
    public int? TopEnd { get; init; }
    public double? TopDecay { get; init; }
    public int? StallPatience { get; init; }
    public double? StallWiden { get; init; }
    public int? Explore { get; init; }
    public int[]? Hidden { get; init; }
    public int? Epochs { get; init; }

    // Settings added after studies were first stored: absent in an older study, which keeps the behaviour it was
    // created with (one predictor, no greedy draws, fitted to the metric's values, the predictor encoding, no second opinion).
    public int? Predictors { get; init; }
    public int? Greedy { get; init; }
    public string? Targets { get; init; }
    public bool? PathEncoding { get; init; }
    public bool? Agreement { get; init; }
    /// <summary>The held-out Kendall τ from which the exploit draws are greedy; null (absent) when not used.</summary>
    public double? GreedyWhenSure { get; init; }

    /// <summary>The GBDT predictor's settings when the study's WeakNAS uses gradient-boosted trees; null for the MLP.</summary>
    public global::WeakNas.Predictors.Gbdt.GbdtRegressorOptions? Gbdt { get; init; }

    public static WeakNasStudySettings From(Strategies.WeakNasOptions o) => new()
    {
        InitialSamples = o.InitialSamples,
        SamplesPerIteration = o.SamplesPerIteration,
        TopStart = o.TopStart,
        TopEnd = o.TopEnd,
        TopDecay = o.TopDecay,
        StallPatience = o.StallPatience,
        StallWiden = o.StallWiden,
        Explore = o.Explore,
        Hidden = o.Predictor.HiddenLayers.ToArray(),
        Epochs = o.Predictor.MaxEpochs,
        Gbdt = o.Regressor as global::WeakNas.Predictors.Gbdt.GbdtRegressorOptions,
        Predictors = o.Predictors,
        Greedy = o.Greedy,
        Targets = Strategies.WeakNasTargetNames.Name(o.Targets),
        PathEncoding = o.PathEncoding,
        Agreement = o.Agreement,
        GreedyWhenSure = o.GreedyWhenSure,
    };

    public Strategies.WeakNasOptions ToOptions(string space, int budget)
    {
        var d = new Strategies.WeakNasOptions();
        return new Strategies.WeakNasOptions
        {
            InitialSamples = InitialSamples ?? Spaces.SpaceRegistry.Find(space)?.Defaults.InitialSamples ?? d.InitialSamples,
            SamplesPerIteration = SamplesPerIteration ?? d.SamplesPerIteration,
            TopStart = TopStart ?? d.TopStart,
            TopEnd = TopEnd ?? d.TopEnd,
            TopDecay = TopDecay ?? d.TopDecay,
            StallPatience = StallPatience ?? d.StallPatience,
            StallWiden = StallWiden ?? d.StallWiden,
            Explore = Explore ?? d.Explore,
            Budget = budget,
            Predictor = d.Predictor with
            {
                HiddenLayers = Hidden ?? d.Predictor.HiddenLayers,
                MaxEpochs = Epochs ?? d.Predictor.MaxEpochs,
            },
            Regressor = Gbdt,
            Predictors = Predictors ?? 1,
            Greedy = Greedy ?? 0,
            Targets = Targets == null ? Strategies.WeakNasTargets.Value
                : Strategies.WeakNasTargetNames.Parse(Targets) ?? throw new InvalidInputException($"the study's WeakNAS targets '{Targets}' are not value or rank"),
            PathEncoding = PathEncoding ?? false,
            Agreement = Agreement ?? false,
            GreedyWhenSure = GreedyWhenSure,
        };
    }
}

/// <summary>The fresh-candidate settings a study stores (see <see cref="Strategies.FreshCandidateOptions"/>); unset values take the defaults.</summary>
public sealed record FreshCandidateSettings
{
    public int? Uniform { get; init; }
    public int? Parents { get; init; }
    public int? MutationsPerParent { get; init; }
    public int? MaxEdits { get; init; }

    public static FreshCandidateSettings From(Strategies.FreshCandidateOptions o) => new()
    {
        Uniform = o.Uniform, Parents = o.Parents, MutationsPerParent = o.MutationsPerParent, MaxEdits = o.MaxEdits,
    };

    /// <summary>The options, validated (an <see cref="InvalidInputException"/> naming the value out of range).</summary>
    public Strategies.FreshCandidateOptions ToOptions()
    {
        var d = new Strategies.FreshCandidateOptions();
        var o = new Strategies.FreshCandidateOptions
        {
            Uniform = Uniform ?? d.Uniform,
            Parents = Parents ?? d.Parents,
            MutationsPerParent = MutationsPerParent ?? d.MutationsPerParent,
            MaxEdits = MaxEdits ?? d.MaxEdits,
        };
        o.Validate();
        return o;
    }

    public string ToJson() => JsonSerializer.Serialize(this);
}
