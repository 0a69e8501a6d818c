using WeakNas.Numerics;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Hardware;

/// <summary>
/// How well a <see cref="NasBench201LatencyModel"/> fitted on a few measured cells predicts one device's latency of all
/// 15,625: errors in milliseconds and relative to the measured latency, and rank agreement (what a constrained search
/// needs: which cells are faster).
/// </summary>
/// <param name="Samples">Cells the model was fitted on.</param>
/// <param name="Rmse">Root mean squared error over all cells, ms.</param>
/// <param name="MeanRelativeError">Mean of |predicted − measured| / measured. Cells measured at nearly 0 ms (disconnected
/// cells that some runtimes fold away) weigh heavily here.</param>
/// <param name="MedianRelativeError">Median of the same.</param>
/// <param name="KendallTau">Kendall's τ-b between predicted and measured latency over all cells.</param>
/// <param name="Spearman">Spearman's ρ between them.</param>
/// <param name="Model">The fitted model.</param>
public sealed record LatencyModelFidelity(
    int Samples, double Rmse, double MeanRelativeError, double MedianRelativeError, double KendallTau, double Spearman, NasBench201LatencyModel Model)
{
    /// <summary>
    /// Fits on <paramref name="samples"/> cells drawn without replacement (seeded; all cells when
    /// <paramref name="samples"/> is at least their number) and scores the predictions of every cell.
    /// </summary>
    /// <param name="latency">The device's measured latency of every cell, by benchmark index.</param>
    public static LatencyModelFidelity Measure(IReadOnlyList<double> latency, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(latency);
        var space = NasBench201Space.Instance;
        if (latency.Count != space.Count) throw new ArgumentException($"need {space.Count} latencies, got {latency.Count}", nameof(latency));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        int[] fitOn = samples >= space.Count
            ? Enumerable.Range(0, space.Count).ToArray()
            : new Rng(seed).Choose(Enumerable.Range(0, space.Count).ToArray(), samples);
        var builder = new NasBench201LatencyModel.Builder();
        foreach (int i in fitOn) builder.Add(space[i], latency[i]);
        var model = builder.Fit();
        var predicted = new double[space.Count];
        model.PredictAll(predicted);
        // Exact predictions summed in another order can differ in the last bits; rounding to a picosecond keeps cells the
        // table ties (several devices report whole or quantised milliseconds) tied in the ranks too.
        for (int i = 0; i < predicted.Length; i++) predicted[i] = Math.Round(predicted[i], 9);
        return Score(latency, predicted, fitOn.Length, model);
    }

    private static LatencyModelFidelity Score(IReadOnlyList<double> measured, double[] predicted, int samples, NasBench201LatencyModel model)
    {
        int n = predicted.Length;
        double squares = 0;
        var relative = new double[n];
        for (int i = 0; i < n; i++)
        {
            double error = predicted[i] - measured[i];
            squares += error * error;
            relative[i] = Math.Abs(error) / measured[i];
        }
        Array.Sort(relative);
        return new LatencyModelFidelity(samples, Math.Sqrt(squares / n), relative.Average(), Statistics.Quantile(relative, 0.5),
            RankCorrelation.KendallTau(predicted, measured), RankCorrelation.Spearman(predicted, measured), model);
    }
}
