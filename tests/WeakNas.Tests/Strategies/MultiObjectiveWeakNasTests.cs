using WeakNas.MultiObjective;
using WeakNas.Numerics;
using WeakNas.Predictors;
using WeakNas.Strategies;

namespace WeakNas.Tests.Strategies;

/// <summary>MO-WeakNAS with a predictor whose predictions are known: it samples from the predicted non-dominated layers.</summary>
public sealed class MultiObjectiveWeakNasTests
{
    private const int Count = 400;

    // Distinct permutations: the predicted accuracy and the (known) latency of architecture i.
    private static readonly double[] Predicted = Enumerable.Range(0, Count).Select(i => (double)(i * 91 % Count)).ToArray();
    private static readonly double[] Latency = Enumerable.Range(0, Count).Select(i => (double)(i * 37 % Count)).ToArray();

    /// <summary>Ignores what it is fitted on and predicts <see cref="Predicted"/> of the index stored as the single feature.</summary>
    private sealed class KnownPredictions : IRegressor
    {
        public IRegressionModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng) => new Model();

        private sealed class Model : IRegressionModel
        {
            public int FeatureCount => 1;

            public void Predict(ReadOnlySpan<float> features, Span<float> destination)
            {
                for (int i = 0; i < destination.Length; i++) destination[i] = (float)Predicted[(int)features[i]];
            }
        }
    }

    private static MultiObjectiveWeakNas Create(WeakNasOptions options, ulong seed = 1)
    {
        // The true accuracy plays no part here: the fake predictor ignores what it is told.
        var problem = new MultiObjectiveProblem(Count, i => 50, [("latency:toy", Latency)]);
        var encoded = Enumerable.Range(0, Count).Select(i => (float)i).ToArray();
        return new MultiObjectiveWeakNas(encoded, 1, problem, options, seed, new KnownPredictions());
    }

    /// <summary>Layers by brute force: repeatedly take every remaining point that no remaining point beats (higher accuracy, lower latency).</summary>
    private static List<HashSet<int>> BruteForceLayers()
    {
        var remaining = Enumerable.Range(0, Count).ToHashSet();
        var layers = new List<HashSet<int>>();
        while (remaining.Count > 0)
        {
            var layer = remaining.Where(i => !remaining.Any(j =>
                Predicted[j] >= Predicted[i] && Latency[j] <= Latency[i] && (Predicted[j] > Predicted[i] || Latency[j] < Latency[i]))).ToHashSet();
            layers.Add(layer);
            remaining.ExceptWith(layer);
        }
        return layers;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Samples_from_the_first_predicted_layers_holding_n_unevaluated_and_explores_outside_them(int explore)
    {
        var options = new WeakNasOptions { Budget = 200, InitialSamples = 10, SamplesPerIteration = 5, TopStart = 12, TopEnd = 12, Explore = explore };
        var strategy = Create(options);
        var layers = BruteForceLayers();
        var told = new HashSet<int>();
        for (int round = 0; round < 12; round++)
        {
            var batch = strategy.Ask(100);
            Assert.Equal(round == 0 ? 10 : 5, batch.Count);
            if (round > 0)
            {
                // The fewest leading layers whose unevaluated members number at least N = 12.
                int taken = 0, unevaluated = 0;
                while (unevaluated < 12) unevaluated += layers[taken++].Count(i => !told.Contains(i));
                var region = layers.Take(taken).SelectMany(l => l).ToHashSet();
                Assert.Equal(region.Order(), strategy.LastLayers.SelectMany(l => l).Order());
                Assert.Equal(taken, strategy.LastLayers.Count);
                Assert.Equal(5 - explore, batch.Count(region.Contains));
                Assert.Equal(explore, batch.Count(i => !region.Contains(i)));
                Assert.Equal(unevaluated, strategy.Iterations[^1].UnevaluatedInTop);
            }
            Assert.Equal(batch.Count, batch.Distinct().Count());
            Assert.DoesNotContain(batch, told.Contains);
            foreach (int i in batch)
            {
                strategy.Tell(i, 50);
                told.Add(i);
            }
        }
    }

    [Fact]
    public void Stall_widening_and_expected_improvement_are_refused()
    {
        Assert.Throws<InvalidInputException>(() => Create(new WeakNasOptions { StallPatience = 2 }));
        Assert.Throws<InvalidInputException>(() => Create(new WeakNasOptions { Sampling = WeakNasSampling.ExpectedImprovement }));
    }
}
