using WeakNas.Numerics;
using WeakNas.Predictors;
using WeakNas.Strategies;

namespace WeakNas.Tests.Strategies;

/// <summary>Exploration draws and stall widening, with a predictor whose ranking is known: lower index ranks higher.</summary>
public sealed class WeakNasExplorationTests
{
    private const int Count = 500;

    /// <summary>Predicts minus the index (stored as the single feature), so the predicted top-N is indices 0..N-1.</summary>
    private sealed class IndexRanker : IRegressor
    {
        public IRegressionModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng) => new Model();

        private sealed class Model : IRegressionModel
        {
            public int FeatureCount => 1;

            public void Predict(ReadOnlySpan<float> features, Span<float> destination)
            {
                for (int i = 0; i < destination.Length; i++) destination[i] = -features[i];
            }
        }
    }

    private static WeakNasStrategy Create(WeakNasOptions options, ulong seed = 1)
    {
        var encoded = Enumerable.Range(0, Count).Select(i => (float)i).ToArray();
        return new WeakNasStrategy(encoded, 1, options, seed, new IndexRanker());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Explore_draws_come_from_outside_the_top_n_and_the_rest_from_inside(int explore)
    {
        var options = new WeakNasOptions { Budget = 200, InitialSamples = 10, SamplesPerIteration = 5, TopStart = 40, TopEnd = 40, Explore = explore };
        var strategy = Create(options);
        // Initial samples told with a constant accuracy, then several iterations.
        for (int round = 0; round < 6; round++)
        {
            var batch = strategy.Ask(100);
            if (round == 0)
            {
                Assert.Equal(10, batch.Count);
            }
            else
            {
                Assert.Equal(5, batch.Count);
                // The top-40 minus what was told before this batch: exploit draws are there, explore draws are not.
                Assert.Equal(5 - explore, batch.Count(i => i < 40));
                Assert.Equal(explore, batch.Count(i => i >= 40));
            }
            Assert.Equal(batch.Count, batch.Distinct().Count());
            foreach (int i in batch) strategy.Tell(i, 50);
        }
    }

    [Fact]
    public void Stall_widening_grows_n_after_patience_iterations_without_a_new_best_and_resets_on_one()
    {
        var options = new WeakNasOptions
        {
            Budget = 400, InitialSamples = 10, SamplesPerIteration = 5, TopStart = 20, TopEnd = 20, Explore = 0,
            StallPatience = 2, StallWiden = 3,
        };
        var strategy = Create(options);
        foreach (int i in strategy.Ask(100)) strategy.Tell(i, 50);
        var topNs = new List<int>();
        for (int round = 0; round < 7; round++)
        {
            var batch = strategy.Ask(100);
            topNs.Add(strategy.LastIteration!.TopN);
            // Iteration 5 (0-based) brings a new best; every other batch ties the best so far.
            foreach (int i in batch) strategy.Tell(i, round == 4 ? 60 : 50);
        }
        // Stalled iterations before each fit: 0, 1, 2, 3, 4, then a new best: 0, 1.
        Assert.Equal([20, 20, 60, 60, 180, 20, 20], topNs);
    }

    [Fact]
    public void The_same_history_gives_the_same_exploring_batch()
    {
        var options = new WeakNasOptions { Budget = 200, Explore = 2 };
        var a = Create(options, seed: 4);
        var b = Create(options, seed: 4);
        var c = Create(options, seed: 5);
        for (int round = 0; round < 4; round++)
        {
            var x = a.Ask(100);
            Assert.Equal(x, b.Ask(100));
            foreach (int i in x)
            {
                a.Tell(i, i % 7);
                b.Tell(i, i % 7);
            }
        }
        foreach (int i in c.Ask(100)) c.Tell(i, i % 7);
        Assert.NotEqual(a.Ask(100), c.Ask(100));
    }
}
