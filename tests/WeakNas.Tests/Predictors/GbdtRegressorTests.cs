using WeakNas.Numerics;
using WeakNas.Predictors.Gbdt;
using static WeakNas.Tests.Predictors.RegressionProblem;

namespace WeakNas.Tests.Predictors;

public class GbdtRegressorTests
{
    [Fact]
    public void The_paper_setting_is_the_default_and_fits_the_problem()
    {
        var options = new GbdtRegressorOptions();
        Assert.Equal((1000, 20, 0.3), (options.Trees, options.MaxDepth, options.LearningRate));
        var (x, y) = Sample(500, new Rng(1));
        var (testX, testY) = Sample(200, new Rng(2));
        using var model = new GbdtRegressor(options).Fit(x, Features, y, new Rng(3));
        Assert.InRange(model.Trees, 1, 1000);
        double heldOut = R2(testY, Predict(model, testX));
        Assert.True(heldOut > 0.6, $"held-out R² {heldOut:F3}");
        // Deep trees with eta 0.3 interpolate their training points.
        double train = R2(y, Predict(model, x));
        Assert.True(train > 0.999, $"training R² {train:F5}");
    }

    [Fact]
    public void The_tree_count_and_depth_are_the_ones_asked_for()
    {
        var (x, y) = Sample(300, new Rng(4));
        using var model = new GbdtRegressor(new GbdtRegressorOptions { Trees = 17, MaxDepth = 3, MaxLeaves = 8, LearningRate = 0.1 }).Fit(x, Features, y, new Rng(5));
        Assert.Equal(17, model.Trees);
        string text = model.Save();
        Assert.Equal(17, text.Split('\n').Count(l => l.StartsWith("Tree=", StringComparison.Ordinal)));
        // No tree has more leaves than depth 3 allows.
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("num_leaves=", StringComparison.Ordinal)))
            Assert.InRange(int.Parse(line["num_leaves=".Length..], System.Globalization.CultureInfo.InvariantCulture), 1, 8);
    }

    [Fact]
    public void Subsampling_draws_from_the_given_stream()
    {
        var (x, y) = Sample(200, new Rng(6));
        var options = new GbdtRegressorOptions { Trees = 50, MaxDepth = 4, LearningRate = 0.1, RowFraction = 0.5, FeatureFraction = 0.5 };
        float[] Fit(ulong seed) => Predict(new GbdtRegressor(options).Fit(x, Features, y, new Rng(seed)), x);
        Assert.Equal(Fit(7), Fit(7));
        Assert.NotEqual(Fit(7), Fit(8));
    }

    [Fact]
    public void More_threads_fit_the_same_trees()
    {
        // LightGBM's deterministic mode with row-wise histograms: the thread count does not change the model.
        var (x, y) = Sample(2000, new Rng(9));
        var one = new GbdtRegressorOptions { Trees = 40, MaxDepth = 8, MaxLeaves = 255, LearningRate = 0.1 };
        using var a = new GbdtRegressor(one).Fit(x, Features, y, new Rng(10));
        using var b = new GbdtRegressor(one with { Threads = 2 }).Fit(x, Features, y, new Rng(10));
        Assert.Equal(Predict(a, x), Predict(b, x));
    }

    [Theory]
    [InlineData("trees", 0)]
    [InlineData("depth", 0)]
    [InlineData("leaves", 1)]
    [InlineData("learning rate", 0)]
    [InlineData("row fraction", 1.5)]
    [InlineData("threads", 0)]
    public void Impossible_settings_are_refused_with_the_setting_named(string setting, double value)
    {
        var options = setting switch
        {
            "trees" => new GbdtRegressorOptions { Trees = (int)value },
            "depth" => new GbdtRegressorOptions { MaxDepth = (int)value },
            "leaves" => new GbdtRegressorOptions { MaxLeaves = (int)value },
            "learning rate" => new GbdtRegressorOptions { LearningRate = value },
            "row fraction" => new GbdtRegressorOptions { RowFraction = value },
            _ => new GbdtRegressorOptions { Threads = (int)value },
        };
        var error = Assert.Throws<InvalidInputException>(options.Create);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
