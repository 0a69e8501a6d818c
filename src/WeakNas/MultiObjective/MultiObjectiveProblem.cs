namespace WeakNas.MultiObjective;

/// <summary>
/// Accuracy against costs over a tabular space: every architecture's objective vector, the normalisation box, the
/// reference point and the true Pareto front, so that found fronts can be scored by hypervolume.
/// <para>
/// Objective vectors are minimised and normalised to the box of the admissible architectures (all of them, or the
/// feasible ones under a constraint): accuracy a becomes (a_max − a) / (a_max − a_min), a cost c becomes
/// (c − c_min) / (c_max − c_min), so 0 is the best value any architecture has and 1 the worst. The reference point is
/// that box's nadir plus <see cref="ReferenceOffset"/> in every objective, (1.1, 1.1, …): the worst admissible value
/// still adds volume (a front's extreme points count), and the same fixed point serves every found front and the true
/// front, so their hypervolumes compare.
/// </para>
/// </summary>
public sealed class MultiObjectiveProblem
{
    public const double ReferenceOffset = 0.1;

    private readonly Func<int, double> _accuracy;
    private readonly double[][] _costs;
    private readonly double[] _low;
    private readonly double[] _high;
    private readonly Func<int, bool>? _admissible;

    /// <param name="count">Architectures, indices 0..count−1.</param>
    /// <param name="accuracy">The true search metric of an architecture (maximised); what the found and true fronts are scored on.</param>
    /// <param name="costs">Each cost metric's name and value for every architecture (minimised).</param>
    /// <param name="admissible">The architectures the search may propose and the true front is taken over (a constraint); null for all.</param>
    public MultiObjectiveProblem(int count, Func<int, double> accuracy, IReadOnlyList<(string Name, double[] Values)> costs, Func<int, bool>? admissible = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(accuracy);
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.Count == 0) throw new ArgumentException("a multi-objective problem needs at least one cost", nameof(costs));
        foreach (var (name, values) in costs)
            if (values.Length != count) throw new ArgumentException($"cost '{name}' has {values.Length} values, expected {count}", nameof(costs));
        Count = count;
        _accuracy = accuracy;
        _costs = costs.Select(c => c.Values).ToArray();
        Names = [ObjectiveSet.Accuracy, .. costs.Select(c => c.Name)];
        _admissible = admissible;
        Admissible = Enumerable.Range(0, count).Where(IsAdmissible).ToArray();
        if (Admissible.Length == 0) throw new ArgumentException("no architecture is admissible", nameof(admissible));

        int d = Dimensions;
        _low = Enumerable.Repeat(double.PositiveInfinity, d).ToArray();
        _high = Enumerable.Repeat(double.NegativeInfinity, d).ToArray();
        foreach (int i in Admissible)
        {
            for (int k = 0; k < d; k++)
            {
                double v = Raw(k, i);
                if (!double.IsFinite(v)) throw new ArgumentException($"{Names[k]} of architecture {i} is {v}", nameof(costs));
                _low[k] = Math.Min(_low[k], v);
                _high[k] = Math.Max(_high[k], v);
            }
        }
        Reference = Enumerable.Repeat(1 + ReferenceOffset, d).ToArray();
        var truePoints = Admissible.Select(i => Point(i, _accuracy(i))).ToList();
        TrueFront = Pareto.NonDominated(truePoints).Select(p => Admissible[p]).ToArray();
        TrueHypervolume = Hypervolume.Of(TrueFront.Select(i => Point(i, _accuracy(i))).ToList(), Reference);
    }

    public int Count { get; }

    /// <summary>"accuracy", then the cost names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Objectives: accuracy and the costs.</summary>
    public int Dimensions => Names.Count;

    /// <summary>The admissible architectures, ascending.</summary>
    public int[] Admissible { get; }

    public bool IsAdmissible(int index) => _admissible == null || _admissible(index);

    /// <summary>The reference point of the normalised, minimised objectives: (1 + offset) in each.</summary>
    public IReadOnlyList<double> Reference { get; }

    /// <summary>The non-dominated admissible architectures by their true accuracy and costs, ascending (ties all kept).</summary>
    public int[] TrueFront { get; }

    /// <summary>Hypervolume of the true front in the normalised objectives.</summary>
    public double TrueHypervolume { get; }

    /// <summary>The true search metric of an architecture.</summary>
    public double Accuracy(int index) => _accuracy(index);

    /// <summary>Cost <paramref name="cost"/> (0-based among the costs) of an architecture, in its own unit.</summary>
    public double Cost(int cost, int index) => _costs[cost][index];

    /// <summary>The smallest and largest value of objective k over the admissible architectures (the normalisation box).</summary>
    public (double Low, double High) Range(int k) => (_low[k], _high[k]);

    private double Raw(int k, int index) => k == 0 ? _accuracy(index) : _costs[k - 1][index];

    /// <summary>
    /// The normalised minimised objective vector of <paramref name="index"/> with accuracy <paramref name="accuracy"/>
    /// (the true one, or what a strategy observed or predicted; a prediction may fall outside the box).
    /// </summary>
    public double[] Point(int index, double accuracy)
    {
        var point = new double[Dimensions];
        point[0] = Scale(_high[0] - accuracy, _high[0] - _low[0]);
        for (int k = 1; k < point.Length; k++) point[k] = Scale(_costs[k - 1][index] - _low[k], _high[k] - _low[k]);
        return point;
    }

    // An objective without range (every admissible architecture alike) is shifted but not scaled, so predictions keep their order.
    private static double Scale(double value, double range) => range > 0 ? value / range : value;

    /// <summary>The non-dominated members of <paramref name="evaluated"/> by true accuracy and costs, in the order given (duplicates once).</summary>
    public int[] FrontOf(IEnumerable<int> evaluated)
    {
        var distinct = evaluated.Distinct().ToArray();
        var front = Pareto.NonDominated(distinct.Select(i => Point(i, _accuracy(i))).ToList());
        return front.Select(p => distinct[p]).ToArray();
    }

    /// <summary>Hypervolume of the evaluated architectures (by true accuracy and costs) divided by the true front's.</summary>
    public double HypervolumeRatio(IEnumerable<int> evaluated) =>
        Hypervolume.Of(FrontOf(evaluated).Select(i => Point(i, _accuracy(i))).ToList(), Reference) / TrueHypervolume;

    /// <summary>
    /// The hypervolume ratio after each query of a search that evaluated <paramref name="evaluated"/> in this order:
    /// element q − 1 is the ratio of the first q. The front is kept incrementally, and the volume recomputed only when a
    /// query changes it.
    /// </summary>
    public double[] HypervolumeTrace(IReadOnlyList<int> evaluated)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        var trace = new double[evaluated.Count];
        var front = new List<(int Index, double[] Point)>();
        double ratio = 0;
        for (int q = 0; q < evaluated.Count; q++)
        {
            int index = evaluated[q];
            var point = Point(index, _accuracy(index));
            bool covered = front.Any(f => f.Index == index || Pareto.Dominates(f.Point, point) || f.Point.AsSpan().SequenceEqual(point));
            if (!covered)
            {
                front.RemoveAll(f => Pareto.Dominates(point, f.Point));
                front.Add((index, point));
                ratio = Hypervolume.Of(front.Select(f => f.Point).ToList(), Reference) / TrueHypervolume;
            }
            trace[q] = ratio;
        }
        return trace;
    }
}
