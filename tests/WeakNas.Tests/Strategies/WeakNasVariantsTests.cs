using WeakNas.Experiments;
using WeakNas.Numerics;
using WeakNas.Predictors;
using WeakNas.Strategies;

namespace WeakNas.Tests.Strategies;

/// <summary>
/// WeakNAS's sampling variants (greedy draws, several weak predictors, rank targets) and the per-iteration decisions a
/// bench trace reads, with a predictor whose ranking is known: lower index ranks higher.
/// </summary>
public sealed class WeakNasVariantsTests
{
    private const int Count = 300;

    /// <summary>Predicts minus the index (the single feature) and records every fit's labels.</summary>
    private sealed class IndexRanker : IRegressor
    {
        public List<float[]> Fits { get; } = [];

        public IRegressionModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng)
        {
            Fits.Add(labels.ToArray());
            return new Model();
        }

        private sealed class Model : IRegressionModel
        {
            public int FeatureCount => 1;

            public void Predict(ReadOnlySpan<float> features, Span<float> destination)
            {
                for (int i = 0; i < destination.Length; i++) destination[i] = -features[i];
            }
        }
    }

    private static float[] Encoded => [.. Enumerable.Range(0, Count).Select(i => (float)i)];

    private static WeakNasOptions Options => new() { Budget = 200, InitialSamples = 10, SamplesPerIteration = 5, TopStart = 30, TopEnd = 30, Explore = 1 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Greedy_draws_are_the_best_predicted_unevaluated_and_the_rest_stay_in_the_top_n(int greedy)
    {
        var strategy = new WeakNasStrategy(Encoded, 1, Options with { Greedy = greedy }, 3, new IndexRanker());
        var told = new HashSet<int>();
        foreach (int i in strategy.Ask(100)) { strategy.Tell(i, 50); told.Add(i); }
        for (int round = 0; round < 5; round++)
        {
            var best = Enumerable.Range(0, Count).Where(i => !told.Contains(i)).Take(greedy).ToArray();
            var batch = strategy.Ask(100);
            Assert.Equal(best, batch.Take(greedy));
            Assert.Equal(4, batch.Count(i => i < 30));
            Assert.Equal(batch.Count, batch.Distinct().Count());
            foreach (int i in batch) { strategy.Tell(i, 50); told.Add(i); }
        }
    }

    [Fact]
    public void Greedy_zero_and_one_predictor_draw_as_the_default_does()
    {
        var plain = new WeakNasStrategy(Encoded, 1, Options, 5, new IndexRanker());
        var explicitly = new WeakNasStrategy(Encoded, 1, Options with { Greedy = 0, Predictors = 1, Targets = WeakNasTargets.Value }, 5, new IndexRanker());
        for (int round = 0; round < 6; round++)
        {
            var a = plain.Ask(100);
            Assert.Equal(a, explicitly.Ask(100));
            foreach (int i in a) { plain.Tell(i, i % 7); explicitly.Tell(i, i % 7); }
        }
    }

    /// <summary>Every first fit of an iteration ranks by index; every second by index shifted by two (298, 299, 0, 1, ...).</summary>
    private sealed class TwoOpinions : IRegressor
    {
        private int _fits;

        public IRegressionModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng) => new Model(_fits++ % 2 == 1);

        private sealed class Model(bool shifted) : IRegressionModel
        {
            public int FeatureCount => 1;

            public void Predict(ReadOnlySpan<float> features, Span<float> destination)
            {
                for (int i = 0; i < destination.Length; i++) destination[i] = shifted ? -((features[i] + 2) % Count) : -features[i];
            }
        }
    }

    [Fact]
    public void Agreement_draws_at_once_what_both_predictors_rank_best_and_the_rest_uniformly()
    {
        var strategy = new WeakNasStrategy(Encoded, 1, Options with { Agreement = true, Explore = 0, InitialSamples = 5 }, 3, new TwoOpinions());
        var initial = strategy.Ask(100);
        // Tell the initial five something outside the first few indices, so both rankings start from the top.
        foreach (int i in initial) strategy.Tell(i, 50);
        var told = initial.ToHashSet();
        var first = Enumerable.Range(0, Count).Where(i => !told.Contains(i)).Take(5).ToList();
        var second = Enumerable.Range(0, Count).Select(i => (i + Count - 2) % Count).Where(i => !told.Contains(i)).Take(5).ToHashSet();
        var agreed = first.Where(second.Contains).ToList();
        Assert.NotEmpty(agreed);
        Assert.True(agreed.Count < 5, "the two rankings should not agree on every draw");
        var batch = strategy.Ask(100);
        Assert.Equal(5, batch.Count);
        Assert.Equal(agreed, batch.Take(agreed.Count));
        Assert.All(batch.Skip(agreed.Count), i => Assert.True(i < 30 + 5 && !agreed.Contains(i)));
    }

    [Fact]
    public void Greedy_when_sure_tells_the_top_n_draws_in_predicted_order_and_turns_greedy_once_they_came_out_in_that_order()
    {
        var strategy = new WeakNasStrategy(Encoded, 1, Options with { GreedyWhenSure = 0.5 }, 3, new IndexRanker());
        var told = new HashSet<int>();
        foreach (int i in strategy.Ask(100)) { strategy.Tell(i, 50); told.Add(i); }
        Assert.Equal(0, strategy.HeldOutTau());
        // Nothing held out yet: the first batch is uniform from the top-30, its four top-N draws best-predicted (lowest) first.
        var first = strategy.Ask(100);
        var drawn = first.Take(4).ToArray();
        Assert.Equal(drawn.Order(), drawn);
        Assert.NotEqual(Enumerable.Range(0, Count).Where(i => !told.Contains(i)).Take(4), drawn);
        // The measured results reverse the predicted order: tau -1, so the next batch stays uniform.
        for (int k = 0; k < first.Count; k++) { strategy.Tell(first[k], k < 4 ? 10 + k : 0); told.Add(first[k]); }
        Assert.Equal(-1, strategy.HeldOutTau());
        var second = strategy.Ask(100);
        Assert.NotEqual(Enumerable.Range(0, Count).Where(i => !told.Contains(i)).Take(4), second.Take(4));
        // This batch comes out in the predicted order (six concordant pairs): pooled tau 0, still below 0.5.
        for (int k = 0; k < second.Count; k++) { strategy.Tell(second[k], k < 4 ? 40 - k : 0); told.Add(second[k]); }
        Assert.Equal(0, strategy.HeldOutTau());
        var third = strategy.Ask(100);
        for (int k = 0; k < third.Count; k++) { strategy.Tell(third[k], k < 4 ? 40 - k : 0); told.Add(third[k]); }
        Assert.Equal(6.0 / 18, strategy.HeldOutTau(), 12);
        var fourth = strategy.Ask(100);
        for (int k = 0; k < fourth.Count; k++) { strategy.Tell(fourth[k], k < 4 ? 40 - k : 0); told.Add(fourth[k]); }
        Assert.Equal(0.5, strategy.HeldOutTau(), 12);
        // At the threshold: the four top-N draws are the four best-predicted unevaluated, the fifth still explores.
        var best = Enumerable.Range(0, Count).Where(i => !told.Contains(i)).Take(4).ToArray();
        var greedy = strategy.Ask(100);
        Assert.Equal(best, greedy.Take(4));
        Assert.True(greedy[4] >= 30);
    }

    [Fact]
    public void Greedy_when_sure_rebuilt_from_the_told_history_proposes_the_same_batch()
    {
        var options = Options with { GreedyWhenSure = 0.2 };
        var live = new WeakNasStrategy(Encoded, 1, options, 11, new IndexRanker());
        var history = new List<(int Index, double Value)>();
        for (int round = 0; round < 8; round++)
            foreach (int i in live.Ask(100))
            {
                double value = (i * 37 % 101) - i / 3.0;
                live.Tell(i, value);
                history.Add((i, value));
            }
        var rebuilt = new WeakNasStrategy(Encoded, 1, options, 11, new IndexRanker());
        foreach (var (index, value) in history) rebuilt.Tell(index, value);
        Assert.Equal(live.HeldOutTau(), rebuilt.HeldOutTau());
        Assert.Equal(live.Ask(100), rebuilt.Ask(100));
    }

    [Fact]
    public void Several_predictors_are_fitted_each_iteration()
    {
        var ranker = new IndexRanker();
        var strategy = new WeakNasStrategy(Encoded, 1, Options with { Predictors = 3 }, 3, ranker);
        foreach (int i in strategy.Ask(100)) strategy.Tell(i, i);
        for (int round = 0; round < 4; round++) foreach (int i in strategy.Ask(100)) strategy.Tell(i, i);
        Assert.Equal(12, ranker.Fits.Count);
    }

    [Fact]
    public void Rank_targets_are_the_told_ranks_scaled_to_the_unit_interval_with_ties_sharing()
    {
        var ranker = new IndexRanker();
        var options = Options with { Targets = WeakNasTargets.Rank, InitialSamples = 5 };
        var strategy = new WeakNasStrategy(Encoded, 1, options, 3, ranker);
        double[] accuracies = [91.5, 10.0, 93.0, 91.5, 70.0];
        var initial = strategy.Ask(100);
        for (int k = 0; k < initial.Count; k++) strategy.Tell(initial[k], accuracies[k]);
        strategy.Ask(100);
        // Ascending ranks 1..5 with the two 91.5s sharing 3.5; scaled by (rank - 1) / 4.
        Assert.Equal([0.625f, 0f, 1f, 0.625f, 0.25f], ranker.Fits.Single());
    }

    [Fact]
    public void Decisions_show_the_ranking_and_the_split_of_the_batch_and_change_nothing()
    {
        var options = Options with { Greedy = 1 };
        var watched = new WeakNasStrategy(Encoded, 1, options, 9, new IndexRanker());
        var unwatched = new WeakNasStrategy(Encoded, 1, options, 9, new IndexRanker());
        var decisions = new List<(int TopN, int[] Ranked, int[] Exploit, int[] Explore)>();
        watched.Decided = d => decisions.Add((d.TopN, [.. d.Ranked], [.. d.Exploit], [.. d.Explore]));
        for (int round = 0; round < 5; round++)
        {
            var batch = watched.Ask(100);
            Assert.Equal(batch, unwatched.Ask(100));
            foreach (int i in batch) { watched.Tell(i, 50); unwatched.Tell(i, 50); }
            if (round == 0) continue;
            var d = decisions[^1];
            Assert.Equal(Enumerable.Range(0, Count), d.Ranked);
            Assert.Equal(30, d.TopN);
            Assert.Equal(batch, d.Exploit.Concat(d.Explore));
            Assert.Equal(4, d.Exploit.Length);
            Assert.All(d.Exploit, i => Assert.True(i < 30));
            Assert.All(d.Explore, i => Assert.True(i >= 30));
        }
        Assert.Equal(4, decisions.Count);
    }

    [Fact]
    public void A_trace_holds_each_iteration_against_the_truth()
    {
        // Truth: architecture i has accuracy -|i - 40|: 40 is the optimum (true rank 1), 39 and 41 share rank 2, and
        // below 40 index i has true rank 2 (40 - i).
        var truth = Enumerable.Range(0, Count).Select(i => -(double)Math.Abs(i - 40)).ToArray();
        var ranks = WeakNasTracer.TrueRanks(truth);
        Assert.Equal([1, 2, 2, 4], new[] { ranks[40], ranks[39], ranks[41], ranks[38] });
        var strategy = new WeakNasStrategy(Encoded, 1, Options, 2, new IndexRanker());
        var tracer = new WeakNasTracer(strategy, TableTruth.Of(truth), 40, "toy", "weaknas", 2);
        var told = new HashSet<int>();
        var toldBefore = new List<int[]>();
        for (int round = 0; round < 12; round++)
        {
            toldBefore.Add([.. told]);
            foreach (int i in tracer.Ask(100)) { tracer.Tell(i, truth[i]); told.Add(i); }
        }
        Assert.Contains(40, told);
        Assert.Equal(11, tracer.Steps.Count);
        for (int k = 0; k < tracer.Steps.Count; k++)
        {
            var step = tracer.Steps[k];
            var before = toldBefore[k + 1].ToHashSet();
            Assert.Equal(before.Count, step.Told);
            Assert.Equal(before.Min(i => ranks[i]), step.Best);
            Assert.Equal(before.Contains(40) ? null : 1 + Enumerable.Range(0, 40).Count(i => !before.Contains(i)), step.OptimumRank);
            // The pool: the unevaluated of the top-30, or the 4 best-predicted unevaluated once fewer than 4 remain there.
            var untold = Enumerable.Range(0, Count).Where(i => !before.Contains(i)).ToList();
            Assert.Equal(untold.Take(Math.Max(4, untold.Count(i => i < 30))).Select(i => ranks[i]), step.TopRanks);
            Assert.All(step.Exploit, r => Assert.Contains(r, step.TopRanks));
            Assert.Single(step.Explore);
            Assert.NotNull(step.Spearman);
        }
        Assert.Equal(11, tracer.Lines().Count(line => line.Contains("\"optimum_rank\"", StringComparison.Ordinal) && line.Contains("\"top_ranks\"", StringComparison.Ordinal)));
    }
}
