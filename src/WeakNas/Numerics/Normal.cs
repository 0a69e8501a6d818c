namespace WeakNas.Numerics;

/// <summary>The standard normal density and distribution function.</summary>
public static class Normal
{
    private const double InverseSqrtTwoPi = 0.3989422804014327;

    public static double Pdf(double x) => InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);

    /// <summary>Φ(x) = erfc(−x/√2) / 2.</summary>
    public static double Cdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>
    /// Complementary error function by the Chebyshev-fitted rational approximation of
    /// exp(−z² + P(t)) with t = 1/(1 + z/2); relative error below 1.2e-7 everywhere.
    /// </summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.Exp(poly);
        return x >= 0 ? r : 2 - r;
    }

    /// <summary>
    /// Expected improvement over <paramref name="best"/> of a normal belief N(mean, std²), for maximisation.
    /// With zero spread it is the plain improvement max(0, mean − best).
    /// </summary>
    public static double ExpectedImprovement(double mean, double std, double best)
    {
        if (!(std > 0)) return Math.Max(0, mean - best);
        double gamma = (mean - best) / std;
        return std * (gamma * Cdf(gamma) + Pdf(gamma));
    }
}
