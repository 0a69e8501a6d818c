using System.Globalization;

namespace WeakNas.Hardware;

/// <summary>A constraint set resolved over one table: numeric bounds, and which architectures meet them all.</summary>
public sealed class FeasibleSet
{
    private readonly bool[] _feasible;
    private readonly double[] _bounds;
    private readonly double[][] _values;

    internal FeasibleSet(ConstraintSet constraints, ArchitectureMetrics metrics, double[] bounds, bool[] feasible, int count)
    {
        Constraints = constraints;
        Metrics = metrics;
        _bounds = bounds;
        _values = constraints.Items.Select(c => metrics.Values(c.Metric)).ToArray();
        _feasible = feasible;
        Count = count;
    }

    public ConstraintSet Constraints { get; }

    public ArchitectureMetrics Metrics { get; }

    /// <summary>Each constraint's bound as a number, in the constraint's order.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>How many architectures are feasible.</summary>
    public int Count { get; }

    public string Label => Constraints.Label;

    public bool Contains(int index) => _feasible[index];

    /// <summary>True when <paramref name="index"/> meets every constraint, with latency on each device taken from <paramref name="latency"/>.</summary>
    public bool Admits(int index, Func<int, string, double> latency)
    {
        for (int k = 0; k < _bounds.Length; k++)
        {
            var c = Constraints.Items[k];
            double value = c.Device is string device ? latency(index, device) : _values[k][index];
            if (!c.Admits(value, _bounds[k])) return false;
        }
        return true;
    }

    /// <summary>The bounds as numbers with units, e.g. <c>latency:pixel3&lt;=6.4411 ms</c>.</summary>
    public string BoundsText => string.Join(" & ", Constraints.Items.Select((c, k) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Metric}{c.Operator}{_bounds[k]:G5} {ArchitectureMetrics.Unit(c.Metric)}").TrimEnd()));

    /// <summary>E.g. "latency:pixel3&lt;=p25 = latency:pixel3&lt;=6.4411 ms: 3,906 of 15,625 architectures feasible".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{(Constraints.Items.Any(c => c.Percentile != null) ? Label + " = " : "")}{BoundsText}: {Count:N0} of {Metrics.Count:N0} architectures feasible");

    /// <summary>The feasible architecture with the highest <paramref name="score"/> (the lowest index among ties).</summary>
    public int Optimum(Func<int, double> score)
    {
        int best = -1;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < _feasible.Length; i++)
        {
            if (!_feasible[i]) continue;
            double s = score(i);
            if (best < 0 || s > bestScore) (best, bestScore) = (i, s);
        }
        return best;
    }
}
