namespace WeakNas.Numerics;

/// <summary>
/// Linear least squares built up one row at a time: the normal equations XᵀX b = Xᵀy are accumulated and solved
/// by Cholesky. For the few dozen well-conditioned columns this is used for (one-hot dummies), that is exact to
/// about 1e-12 and a row costs O(columns²), so a model can be refitted after every new observation.
/// </summary>
public sealed class NormalEquations
{
    // A pivot below this fraction of the largest diagonal entry means the columns are linearly dependent.
    private const double RankTolerance = 1e-10;

    // Ridge added to a rank-deficient system, relative to its mean diagonal entry; see Solve.
    private const double RidgeScale = 1e-6;

    private readonly double[] _gram;
    private readonly double[] _rhs;

    public NormalEquations(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Columns = columns;
        _gram = new double[columns * columns];
        _rhs = new double[columns];
    }

    public int Columns { get; }

    /// <summary>Rows added so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Adds the row <paramref name="x"/> with target <paramref name="y"/>.</summary>
    public void Add(ReadOnlySpan<double> x, double y)
    {
        if (x.Length != Columns) throw new ArgumentException($"row has {x.Length} values, expected {Columns}", nameof(x));
        int p = Columns;
        for (int i = 0; i < p; i++)
        {
            double xi = x[i];
            if (xi == 0) continue;
            _rhs[i] += xi * y;
            for (int j = 0; j < p; j++) _gram[i * p + j] += xi * x[j];
        }
        Rows++;
    }

    /// <summary>
    /// The coefficients b minimising |Xb − y|². When XᵀX is singular (fewer rows than columns, a column never
    /// non-zero, or dependent columns) there is no unique minimiser: a small ridge (1e-6 of the mean diagonal entry)
    /// on every column but <paramref name="unpenalisedColumn"/> picks the one of nearly least norm, and a column that
    /// was never non-zero gets exactly 0. A full-rank system is solved without any ridge, so exact data give exact
    /// coefficients.
    /// </summary>
    public (double[] Coefficients, bool FullRank) Solve(int unpenalisedColumn = -1)
    {
        int p = Columns;
        var factor = (double[])_gram.Clone();
        if (Cholesky(factor, p)) return (Substitute(factor, p), true);

        double meanDiagonal = 0;
        for (int i = 0; i < p; i++) meanDiagonal += _gram[i * p + i];
        meanDiagonal /= p;
        double ridge = RidgeScale * (meanDiagonal > 0 ? meanDiagonal : 1);
        factor = (double[])_gram.Clone();
        for (int i = 0; i < p; i++)
        {
            // An unpenalised column that is all zero still needs a pivot.
            if (i != unpenalisedColumn || factor[i * p + i] == 0) factor[i * p + i] += ridge;
        }
        if (!Cholesky(factor, p)) throw new InvalidOperationException("ridge-regularised normal equations are not positive definite");
        return (Substitute(factor, p), false);
    }

    /// <summary>In-place lower Cholesky factor; false when a pivot is not clearly positive.</summary>
    private static bool Cholesky(double[] a, int p)
    {
        double largest = 0;
        for (int i = 0; i < p; i++) largest = Math.Max(largest, a[i * p + i]);
        if (largest <= 0) return false;
        for (int j = 0; j < p; j++)
        {
            double d = a[j * p + j];
            for (int k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
            if (!(d > RankTolerance * largest)) return false;
            double root = Math.Sqrt(d);
            a[j * p + j] = root;
            for (int i = j + 1; i < p; i++)
            {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
                a[i * p + j] = s / root;
            }
        }
        return true;
    }

    private double[] Substitute(double[] l, int p)
    {
        var z = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = _rhs[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * z[k];
            z[i] = s / l[i * p + i];
        }
        var b = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * b[k];
            b[i] = s / l[i * p + i];
        }
        return b;
    }
}
