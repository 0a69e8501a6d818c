namespace WeakNas.Numerics;

/// <summary>Rank correlations between two paired samples (ties handled as scipy.stats does).</summary>
public static class RankCorrelation
{
    /// <summary>
    /// Kendall's τ-b in O(n log n) (Knight's algorithm): sort by x then y, count the pairs tied in x, in both, and in y,
    /// and the discordant pairs as the swaps a merge sort on y makes.
    /// </summary>
    public static double KendallTau(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = CheckPaired(x, y);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int c = x[a].CompareTo(x[b]);
            return c != 0 ? c : y[a].CompareTo(y[b]);
        });
        long tiedX = 0, tiedBoth = 0;
        for (int i = 0, j; i < n; i = j)
        {
            for (j = i + 1; j < n && x[order[j]] == x[order[i]]; j++) { }
            tiedX += Pairs(j - i);
            for (int k = i, l; k < j; k = l)
            {
                for (l = k + 1; l < j && y[order[l]] == y[order[k]]; l++) { }
                tiedBoth += Pairs(l - k);
            }
        }
        var ys = new double[n];
        for (int i = 0; i < n; i++) ys[i] = y[order[i]];
        long swaps = MergeCountingSwaps(ys, new double[n], 0, n);
        long tiedY = 0;
        for (int i = 0, j; i < n; i = j)
        {
            for (j = i + 1; j < n && ys[j] == ys[i]; j++) { }
            tiedY += Pairs(j - i);
        }
        long total = Pairs(n);
        double denominator = Math.Sqrt((double)(total - tiedX) * (total - tiedY));
        if (denominator == 0) return double.NaN;
        return (total - tiedX - tiedY + tiedBoth - 2.0 * swaps) / denominator;
    }

    /// <summary>Spearman's ρ: Pearson's correlation of the ranks, tied values sharing their mean rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPaired(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = CheckPaired(x, y);
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>1-based ranks; tied values get the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
        var ranks = new double[n];
        for (int i = 0, j; i < n; i = j)
        {
            for (j = i + 1; j < n && values[order[j]] == values[order[i]]; j++) { }
            double rank = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++) ranks[order[k]] = rank;
        }
        return ranks;
    }

    private static long Pairs(long count) => count * (count - 1) / 2;

    /// <summary>Sorts <paramref name="a"/>[lo..hi) ascending; returns how many pairs were strictly out of order.</summary>
    private static long MergeCountingSwaps(double[] a, double[] buffer, int lo, int hi)
    {
        if (hi - lo < 2) return 0;
        int mid = (lo + hi) >>> 1;
        long swaps = MergeCountingSwaps(a, buffer, lo, mid) + MergeCountingSwaps(a, buffer, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi)
        {
            // Equal values are taken from the left first: a tie is not a discordant pair.
            if (a[j] < a[i])
            {
                swaps += mid - i;
                buffer[k++] = a[j++];
            }
            else
            {
                buffer[k++] = a[i++];
            }
        }
        while (i < mid) buffer[k++] = a[i++];
        while (j < hi) buffer[k++] = a[j++];
        Array.Copy(buffer, lo, a, lo, hi - lo);
        return swaps;
    }

    private static int CheckPaired(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"paired samples differ in length: {x.Count} and {y.Count}", nameof(y));
        if (x.Count < 2) throw new ArgumentException("need at least two pairs", nameof(x));
        return x.Count;
    }
}
