using WeakNas.Numerics;

namespace WeakNas.Tests.Numerics;

public class RankCorrelationTests
{
    /// <summary>τ-b by its definition over all pairs.</summary>
    private static double BruteKendall(double[] x, double[] y)
    {
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0, n0 = 0;
        for (int i = 0; i < x.Length; i++)
            for (int j = i + 1; j < x.Length; j++)
            {
                n0++;
                int sx = Math.Sign(x[i] - x[j]), sy = Math.Sign(y[i] - y[j]);
                if (sx == 0) tiedX++;
                if (sy == 0) tiedY++;
                if (sx * sy > 0) concordant++;
                else if (sx * sy < 0) discordant++;
            }
        return (concordant - discordant) / Math.Sqrt((double)(n0 - tiedX) * (n0 - tiedY));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(50, 1)]
    [InlineData(400, 2)]
    [InlineData(1000, 3)]
    public void Kendall_tau_b_matches_the_pairwise_definition_with_ties(int n, ulong seed)
    {
        var rng = new Rng(seed);
        // Few distinct values, so there are many ties in x, in y and in both.
        var x = Enumerable.Range(0, n).Select(_ => (double)rng.NextInt(7)).ToArray();
        var y = x.Select(v => Math.Round(v + 3 * rng.NextGaussian())).ToArray();
        if (x.Distinct().Count() == 1) x[0] += 1;
        if (y.Distinct().Count() == 1) y[0] += 1;
        Assert.Equal(BruteKendall(x, y), RankCorrelation.KendallTau(x, y), 12);
    }

    [Fact]
    public void Perfect_reversed_and_known_values()
    {
        double[] a = [1, 2, 3, 4, 5];
        Assert.Equal(1, RankCorrelation.KendallTau(a, a.Select(v => v * v).ToArray()), 12);
        Assert.Equal(-1, RankCorrelation.KendallTau(a, a.Select(v => -v).ToArray()), 12);
        Assert.Equal(1, RankCorrelation.Spearman(a, a.Select(Math.Exp).ToArray()), 12);
        // scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233 (tied ranks averaged)
        Assert.Equal(0.8207826816681233, RankCorrelation.Spearman(a, [5, 6, 7, 8, 7]), 12);
        Assert.Equal([1, 2.5, 2.5, 4], RankCorrelation.Ranks([1, 5, 5, 9]));
        Assert.True(double.IsNaN(RankCorrelation.KendallTau([1, 1, 1], [1, 2, 3])));
    }
}
