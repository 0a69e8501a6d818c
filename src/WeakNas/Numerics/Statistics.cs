namespace WeakNas.Numerics;

/// <summary>Descriptive statistics for reports.</summary>
public static class Statistics
{
    /// <summary>The index of the largest value, the first among ties (a table's optimum: the lowest index).</summary>
    public static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    /// <summary>Sample standard deviation (n − 1); 0 for a single value.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return values.Count == 0 ? double.NaN : 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Percentile bootstrap interval of the mean (seeded, so reports reproduce).</summary>
    public static (double Low, double High) BootstrapMeanInterval(IReadOnlyList<double> values, double confidence = 0.95, int resamples = 10_000, ulong seed = 0)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var rng = new Rng(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < values.Count; i++) sum += values[rng.NextInt(values.Count)];
            means[r] = sum / values.Count;
        }
        Array.Sort(means);
        double tail = (1 - confidence) / 2;
        return (Quantile(means, tail), Quantile(means, 1 - tail));
    }

    /// <summary>Linear-interpolation quantile of sorted values.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
