using WeakNas.Numerics;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Hardware;

/// <summary>
/// A runtime model in the style of Single-Path NAS: a cell's latency on one device predicted as a constant (the
/// network skeleton: stem, reduction blocks, classifier, and every edge's cost as <c>none</c>) plus, for each edge, the
/// extra cost of its op over <c>none</c>. The 24 per-(edge, op) costs and the constant are fitted by least squares from
/// measured cells (<see cref="Builder"/>). <c>none</c> is each edge's reference level: with a free cost for all five ops
/// the five one-hot columns of an edge would sum to the constant's column, and the fit would not be unique.
/// </summary>
public sealed class NasBench201LatencyModel
{
    private const int EdgeCount = NasBench201Cell.EdgeCount;
    private const int OpCount = NasBench201Cell.OpCount;

    /// <summary>Fitted terms: the constant and one cost per edge and non-<c>none</c> op (25).</summary>
    public const int TermCount = 1 + EdgeCount * (OpCount - 1);

    private readonly double[] _cost;

    private NasBench201LatencyModel(double constant, double[] cost, int samples, bool identified)
    {
        Constant = constant;
        _cost = cost;
        Samples = samples;
        Identified = identified;
    }

    /// <summary>
    /// How far a prediction is typically off (ms): the residual standard error sqrt(SSE / (n − 25)) when the measurements
    /// determine every term with some to spare; otherwise, with no residual to learn from, the standard deviation of the
    /// measured latencies (0 for a single measurement).
    /// </summary>
    public double ResidualStandardError { get; private set; }

    /// <summary>Latency of the cell with <c>none</c> on every edge, as the model sees it (ms).</summary>
    public double Constant { get; }

    /// <summary>Measurements the model was fitted on.</summary>
    public int Samples { get; }

    /// <summary>
    /// True when the measurements determined every term (a full-rank design); false when some terms were set by the
    /// fallback described at <see cref="Builder.Fit"/>.
    /// </summary>
    public bool Identified { get; }

    /// <summary>Extra latency of <paramref name="op"/> on <paramref name="edge"/> over <c>none</c> (0 for <c>none</c>).</summary>
    public double Cost(int edge, NasBench201Op op)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edge);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(edge, EdgeCount);
        return _cost[edge * OpCount + (int)op];
    }

    public double Predict(NasBench201Cell cell)
    {
        double latency = Constant;
        for (int e = 0; e < EdgeCount; e++) latency += _cost[e * OpCount + (int)cell[e]];
        return latency;
    }

    /// <summary>Predictions for every cell of the space, <paramref name="destination"/>[i] for index i.</summary>
    public void PredictAll(Span<double> destination)
    {
        var space = NasBench201Space.Instance;
        if (destination.Length < space.Count) throw new ArgumentException($"need {space.Count} values, got {destination.Length}", nameof(destination));
        for (int i = 0; i < space.Count; i++) destination[i] = Predict(space[i]);
    }

    /// <summary>Fits a model on measured cells.</summary>
    public static NasBench201LatencyModel Fit(IEnumerable<NasBench201Cell> cells, IEnumerable<double> latencies)
    {
        var builder = new Builder();
        using var latency = latencies.GetEnumerator();
        foreach (var cell in cells)
        {
            if (!latency.MoveNext()) throw new ArgumentException("fewer latencies than cells", nameof(latencies));
            builder.Add(cell, latency.Current);
        }
        if (latency.MoveNext()) throw new ArgumentException("more latencies than cells", nameof(latencies));
        return builder.Fit();
    }

    /// <summary>Accumulates measurements one at a time; <see cref="Fit"/> can be called after each.</summary>
    public sealed class Builder
    {
        private readonly NormalEquations _equations = new(TermCount);
        private readonly int[] _seen = new int[TermCount];
        private readonly double[] _row = new double[TermCount];
        private readonly List<(NasBench201Cell Cell, double Latency)> _measured = [];

        /// <summary>Measurements added so far.</summary>
        public int Count => _equations.Rows;

        public void Add(NasBench201Cell cell, double latency)
        {
            if (!double.IsFinite(latency)) throw new ArgumentOutOfRangeException(nameof(latency), latency, "latency must be finite");
            Array.Clear(_row);
            _row[0] = 1;
            _seen[0]++;
            for (int e = 0; e < EdgeCount; e++)
            {
                int op = (int)cell[e];
                if (op == 0) continue;
                int term = Term(e, op);
                _row[term] = 1;
                _seen[term]++;
            }
            _equations.Add(_row, latency);
            _measured.Add((cell, latency));
        }

        /// <summary>
        /// The least-squares model. With too few or too alike measurements to determine every term, a tiny ridge picks
        /// the fit of least norm (<see cref="NormalEquations.Solve"/>), and an (edge, op) never measured at all costs what
        /// the same op costs on average on the edges where it was measured (0 if on none): a guess from the only
        /// evidence there is, rather than the cost of <c>none</c>.
        /// </summary>
        public NasBench201LatencyModel Fit()
        {
            if (Count == 0) throw new InvalidOperationException("no measurements to fit a latency model on");
            var (b, fullRank) = _equations.Solve(unpenalisedColumn: 0);
            var cost = new double[EdgeCount * OpCount];
            for (int e = 0; e < EdgeCount; e++)
                for (int op = 1; op < OpCount; op++)
                    cost[e * OpCount + op] = b[Term(e, op)];
            if (!fullRank)
            {
                for (int op = 1; op < OpCount; op++)
                {
                    double sum = 0;
                    int known = 0;
                    for (int e = 0; e < EdgeCount; e++)
                        if (_seen[Term(e, op)] > 0) { sum += cost[e * OpCount + op]; known++; }
                    for (int e = 0; e < EdgeCount; e++)
                        if (_seen[Term(e, op)] == 0) cost[e * OpCount + op] = known > 0 ? sum / known : 0;
                }
            }
            var model = new NasBench201LatencyModel(b[0], cost, Count, fullRank);
            model.ResidualStandardError = ResidualError(model, fullRank);
            return model;
        }

        // Residuals are summed directly rather than from the normal equations, whose yᵀy − bᵀXᵀy cancels badly when the
        // fit is exact.
        private double ResidualError(NasBench201LatencyModel model, bool fullRank)
        {
            int n = _measured.Count;
            if (fullRank && n > TermCount)
            {
                double sse = 0;
                foreach (var (cell, latency) in _measured)
                {
                    double r = model.Predict(cell) - latency;
                    sse += r * r;
                }
                return Math.Sqrt(sse / (n - TermCount));
            }
            if (n < 2) return 0;
            double mean = _measured.Average(m => m.Latency);
            return Math.Sqrt(_measured.Sum(m => (m.Latency - mean) * (m.Latency - mean)) / (n - 1));
        }

        private static int Term(int edge, int op) => 1 + edge * (OpCount - 1) + (op - 1);
    }
}
