using WeakNas.Hardware;

namespace WeakNas.MultiObjective;

/// <summary>
/// The objectives of a multi-objective search (<c>--objectives accuracy,latency:pixel3[,params]</c>): the search metric,
/// maximised, traded against one or more cost metrics of <see cref="ArchitectureMetrics"/>, minimised. The same metric
/// names as a constraint: <c>params</c> (millions) and <c>latency:DEVICE</c> (ms).
/// </summary>
public sealed class ObjectiveSet
{
    public const string Accuracy = "accuracy";

    private ObjectiveSet(IReadOnlyList<string> costs)
    {
        Costs = costs;
    }

    /// <summary>The cost metrics in the order given, e.g. <c>latency:pixel3</c>, <c>params</c>.</summary>
    public IReadOnlyList<string> Costs { get; }

    /// <summary>The canonical text form, accuracy first: e.g. <c>accuracy,latency:pixel3</c>. Names runs in logs and reports.</summary>
    public string Label => string.Join(",", new[] { Accuracy }.Concat(Costs));

    public override string ToString() => Label;

    /// <summary>Parses the option's text; an <see cref="InvalidInputException"/> naming the text and what is wrong.</summary>
    public static ObjectiveSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0))
            throw new InvalidInputException($"--objectives '{text}': an empty name; expected accuracy and cost metrics separated by commas, e.g. accuracy,latency:pixel3");
        var costs = new List<string>();
        bool accuracy = false;
        foreach (string name in names)
        {
            if (name == Accuracy)
            {
                if (accuracy) throw new InvalidInputException($"--objectives '{text}': accuracy given twice");
                accuracy = true;
                continue;
            }
            if (name is not (ArchitectureMetrics.Params or Constraint.Flops))
            {
                if (!name.StartsWith(ArchitectureMetrics.LatencyPrefix, StringComparison.Ordinal))
                    throw new InvalidInputException($"--objectives '{text}': unknown metric '{name}'; expected accuracy, params, flops or latency:DEVICE (e.g. latency:pixel3)");
                if (name.Length == ArchitectureMetrics.LatencyPrefix.Length)
                    throw new InvalidInputException($"--objectives '{text}': no device after 'latency:' (e.g. latency:pixel3)");
            }
            if (costs.Contains(name)) throw new InvalidInputException($"--objectives '{text}': {name} given twice");
            costs.Add(name);
        }
        if (!accuracy) throw new InvalidInputException($"--objectives '{text}': accuracy must be one of the objectives, e.g. accuracy,latency:pixel3");
        if (costs.Count == 0) throw new InvalidInputException($"--objectives '{text}': needs a cost to trade accuracy against, e.g. accuracy,latency:pixel3");
        return new ObjectiveSet(costs);
    }

    /// <summary>True when a cost is a latency (so the latency table is needed).</summary>
    public bool HasLatency => Costs.Any(c => c.StartsWith(ArchitectureMetrics.LatencyPrefix, StringComparison.Ordinal));

    /// <summary>
    /// The problem over a table: the search metric from <paramref name="accuracy"/>, the costs from <paramref name="metrics"/>
    /// (an unknown device or metric is an <see cref="InvalidInputException"/> listing what exists), restricted to
    /// <paramref name="feasible"/> when a constraint is given.
    /// </summary>
    public MultiObjectiveProblem Resolve(Func<int, double> accuracy, ArchitectureMetrics metrics, FeasibleSet? feasible = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var costs = Costs.Select(c => (c, metrics.Values(c))).ToList();
        return new MultiObjectiveProblem(metrics.Count, accuracy, costs, feasible == null ? null : feasible.Contains);
    }
}
