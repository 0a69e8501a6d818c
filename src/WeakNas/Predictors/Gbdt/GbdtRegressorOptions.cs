using System.Globalization;

namespace WeakNas.Predictors.Gbdt;

/// <summary>
/// Settings of <see cref="GbdtRegressor"/>, LightGBM's gradient-boosted regression trees. The defaults are the WeakNAS
/// paper's predictor for the once-for-all MobileNetV3 space (XGBoost, 1,000 trees of depth at most 20) with XGBoost's
/// own defaults for the rest: learning rate 0.3, at least one unit of hessian per leaf (one sample, for squared error),
/// L2 penalty 1 on leaf values, no row or feature subsampling; trees grow depth-first as far as the depth allows.
/// </summary>
public sealed record GbdtRegressorOptions : IRegressorOptions
{
    /// <summary>Boosting rounds (trees); fewer when no tree can split any more.</summary>
    public int Trees { get; init; } = 1000;

    /// <summary>Greatest depth of a tree.</summary>
    public int MaxDepth { get; init; } = 20;

    /// <summary>Greatest number of leaves of a tree (LightGBM's num_leaves; at most 131,072).</summary>
    public int MaxLeaves { get; init; } = 1024;

    /// <summary>Shrinkage of each tree's contribution (XGBoost's eta).</summary>
    public double LearningRate { get; init; } = 0.3;

    /// <summary>Fewest samples in a leaf.</summary>
    public int MinSamplesPerLeaf { get; init; } = 1;

    /// <summary>Least hessian sum in a leaf (XGBoost's min_child_weight).</summary>
    public double MinChildWeight { get; init; } = 1;

    /// <summary>L2 penalty on leaf values (XGBoost's lambda).</summary>
    public double L2 { get; init; } = 1;

    /// <summary>Fraction of the rows each tree sees (1 = all; below 1, a fresh draw each tree).</summary>
    public double RowFraction { get; init; } = 1;

    /// <summary>Fraction of the features each tree sees.</summary>
    public double FeatureFraction { get; init; } = 1;

    /// <summary>Most histogram bins per feature.</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>
    /// Threads LightGBM may use. 1 (the default) keeps every fit bit-identical whatever the machine; more are faster on
    /// large tables and still deterministic for a given thread count (LightGBM's deterministic mode).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Threads for predictions (0: every core). Rows are predicted independently, so this never changes a value.</summary>
    public int PredictThreads { get; init; }

    public void Validate()
    {
        Require(Trees is >= 1 and <= 100_000, $"GBDT trees must be between 1 and 100000, got {Trees}");
        Require(MaxDepth is >= 1 and <= 64, $"GBDT depth must be between 1 and 64, got {MaxDepth}");
        Require(MaxLeaves is >= 2 and <= 131_072, $"GBDT leaves must be between 2 and 131072, got {MaxLeaves}");
        Require(LearningRate is > 0 and <= 1, $"GBDT learning rate must be in (0, 1], got {F(LearningRate)}");
        Require(MinSamplesPerLeaf >= 1, $"GBDT samples per leaf must be at least 1, got {MinSamplesPerLeaf}");
        Require(MinChildWeight >= 0 && double.IsFinite(MinChildWeight), $"GBDT min child weight must be zero or positive, got {F(MinChildWeight)}");
        Require(L2 >= 0 && double.IsFinite(L2), $"GBDT L2 penalty must be zero or positive, got {F(L2)}");
        Require(RowFraction is > 0 and <= 1, $"GBDT row fraction must be in (0, 1], got {F(RowFraction)}");
        Require(FeatureFraction is > 0 and <= 1, $"GBDT feature fraction must be in (0, 1], got {F(FeatureFraction)}");
        Require(MaxBins is >= 2 and <= 65_535, $"GBDT bins must be between 2 and 65535, got {MaxBins}");
        Require(Threads is >= 1 and <= 1024, $"GBDT threads must be between 1 and 1024, got {Threads}");
        Require(PredictThreads is >= 0 and <= 1024, $"GBDT prediction threads must be between 0 (every core) and 1024, got {PredictThreads}");

        static void Require(bool condition, string message)
        {
            if (!condition) throw new InvalidInputException(message);
        }
    }

    public IRegressor Create()
    {
        Validate();
        return new GbdtRegressor(this);
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>LightGBM's parameter string for these settings and a seed.</summary>
    internal string Parameters(int seed)
    {
        var p = new List<string>
        {
            "objective=regression", "boosting=gbdt", "verbosity=-1", "deterministic=true", "force_row_wise=true",
            $"num_threads={Threads}", $"seed={seed}",
            $"max_depth={MaxDepth}", $"num_leaves={MaxLeaves}", $"learning_rate={F(LearningRate)}",
            $"min_data_in_leaf={MinSamplesPerLeaf}", $"min_sum_hessian_in_leaf={F(MinChildWeight)}", $"lambda_l2={F(L2)}",
            $"feature_fraction={F(FeatureFraction)}", $"max_bin={MaxBins}", "min_data_in_bin=1", "feature_pre_filter=false",
            "boost_from_average=true",
        };
        if (RowFraction < 1) p.AddRange([$"bagging_fraction={F(RowFraction)}", "bagging_freq=1"]);
        return string.Join(' ', p);
    }
}
