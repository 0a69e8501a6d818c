using System.Globalization;

namespace WeakNas.Hardware;

/// <summary>
/// A bound on one cost metric: <c>METRIC&lt;=BOUND</c> or <c>METRIC&lt;BOUND</c> (an upper bound, the usual budget), or
/// <c>METRIC&gt;=BOUND</c> / <c>METRIC&gt;BOUND</c> (a lower bound, as the WeakNAS paper's FLOPs window [550, 600]), where
/// METRIC is <c>params</c> (millions), <c>flops</c> (millions, in spaces that count them) or <c>latency:DEVICE</c>
/// (milliseconds), and BOUND a number or a percentile <c>pQ</c> of the metric over the whole table (e.g.
/// <c>latency:pixel3&lt;=p25</c>: a quarter of the cells are at most that fast).
/// </summary>
public sealed record Constraint
{
    private const string Syntax = "expected METRIC<=BOUND, METRIC<BOUND, METRIC>=BOUND or METRIC>BOUND with METRIC params, flops or latency:DEVICE and BOUND a number or a percentile pQ, e.g. latency:pixel3<=12.5, params<=0.8, flops>=550, latency:fpga<=p25";

    /// <summary>Millions of multiply-accumulates (FLOPs as once-for-all counts them), where a space counts them.</summary>
    public const string Flops = "flops";

    private Constraint(string metric, bool strict, bool lower, double? value, double? percentile)
    {
        Lower = lower;
        Metric = metric;
        Device = metric.StartsWith(ArchitectureMetrics.LatencyPrefix, StringComparison.Ordinal) ? metric[ArchitectureMetrics.LatencyPrefix.Length..] : null;
        Strict = strict;
        Value = value;
        Percentile = percentile;
    }

    /// <summary><c>params</c> or <c>latency:DEVICE</c>.</summary>
    public string Metric { get; }

    /// <summary>True for <c>&lt;</c>, false for <c>&lt;=</c>.</summary>
    public bool Strict { get; }

    /// <summary>The bound, when given as a number.</summary>
    public double? Value { get; }

    /// <summary>The bound as a percentile (0–100) of the metric over all architectures, when given as <c>pQ</c>.</summary>
    public double? Percentile { get; }

    /// <summary>The device of a latency constraint, else null.</summary>
    public string? Device { get; }

    public bool IsLatency => Device != null;

    /// <summary>The canonical text form, e.g. <c>latency:pixel3&lt;=12.5</c>.</summary>
    public string Text => Metric + Operator + BoundText;

    /// <summary>True for a lower bound (<c>&gt;=</c>, <c>&gt;</c>), false for an upper bound.</summary>
    public bool Lower { get; }

    /// <summary>The comparison as written: <c>&lt;=</c>, <c>&lt;</c>, <c>&gt;=</c> or <c>&gt;</c>.</summary>
    public string Operator => (Lower ? ">" : "<") + (Strict ? "" : "=");

    private string BoundText => Percentile is double q
        ? "p" + q.ToString("R", CultureInfo.InvariantCulture)
        : Value!.Value.ToString("R", CultureInfo.InvariantCulture);

    public override string ToString() => Text;

    /// <summary>Parses one constraint; an <see cref="InvalidInputException"/> naming the text and what is wrong.</summary>
    public static Constraint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        int less = trimmed.IndexOf('<', StringComparison.Ordinal), greater = trimmed.IndexOf('>', StringComparison.Ordinal);
        if ((less < 0) == (greater < 0) || trimmed.Contains("==", StringComparison.Ordinal))
            throw new InvalidInputException($"--constraint '{text}': {Syntax}");
        bool lower = greater >= 0;
        int at = lower ? greater : less;
        bool strict = !(at + 1 < trimmed.Length && trimmed[at + 1] == '=');
        string metric = trimmed[..at];
        string bound = trimmed[(at + (strict ? 1 : 2))..];
        if (metric.Length == 0 || bound.Length == 0 || bound.Contains('<', StringComparison.Ordinal) || bound.Contains('>', StringComparison.Ordinal))
            throw new InvalidInputException($"--constraint '{text}': {Syntax}");

        if (metric is not (ArchitectureMetrics.Params or Flops))
        {
            if (!metric.StartsWith(ArchitectureMetrics.LatencyPrefix, StringComparison.Ordinal))
                throw new InvalidInputException($"--constraint '{text}': unknown metric '{metric}'; expected params, flops or latency:DEVICE (e.g. latency:pixel3)");
            if (metric.Length == ArchitectureMetrics.LatencyPrefix.Length)
                throw new InvalidInputException($"--constraint '{text}': no device after 'latency:' (e.g. latency:pixel3)");
        }

        if (bound[0] is 'p' or 'P')
        {
            if (!double.TryParse(bound.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out double q) || !(q >= 0 && q <= 100))
                throw new InvalidInputException($"--constraint '{text}': percentile '{bound}' must be p0 to p100");
            return new Constraint(metric, strict, lower, null, q);
        }
        if (!double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= 0)
            throw new InvalidInputException($"--constraint '{text}': bound '{bound}' is not a positive number or a percentile such as p50");
        return new Constraint(metric, strict, lower, value, null);
    }

    /// <summary>The numeric bound over <paramref name="values"/> (the metric for every architecture).</summary>
    public double ResolveBound(IReadOnlyList<double> values)
    {
        if (Value is double v) return v;
        var sorted = values.Order().ToArray();
        return Numerics.Statistics.Quantile(sorted, Percentile!.Value / 100);
    }

    public bool Admits(double value, double bound) => Lower
        ? Strict ? value > bound : value >= bound
        : Strict ? value < bound : value <= bound;
}
