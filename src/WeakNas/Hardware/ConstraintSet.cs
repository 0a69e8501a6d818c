namespace WeakNas.Hardware;

/// <summary>Constraints that must all hold (the repeatable <c>--constraint</c> option).</summary>
public sealed class ConstraintSet
{
    public ConstraintSet(IEnumerable<Constraint> constraints)
    {
        Items = constraints.ToList();
        if (Items.Count == 0) throw new ArgumentException("a constraint set needs at least one constraint", nameof(constraints));
    }

    public IReadOnlyList<Constraint> Items { get; }

    /// <summary>The constraints as written, joined with " &amp; ": names the set in reports and run logs.</summary>
    public string Label => string.Join(" & ", Items.Select(c => c.Text));

    public bool HasLatency => Items.Any(c => c.IsLatency);

    /// <summary>Parses each text (one constraint each); null when there are none.</summary>
    public static ConstraintSet? Parse(IEnumerable<string>? texts)
    {
        var items = (texts ?? []).Select(Constraint.Parse).ToList();
        return items.Count == 0 ? null : new ConstraintSet(items);
    }

    /// <summary>This set and <paramref name="more"/> together.</summary>
    public ConstraintSet And(ConstraintSet? more) => more == null ? this : new ConstraintSet(Items.Concat(more.Items));

    public override string ToString() => Label;

    /// <summary>
    /// The bounds as numbers over <paramref name="metrics"/> and the architectures that meet them all; an
    /// <see cref="InvalidInputException"/> for an unknown metric or device, or when no architecture is feasible.
    /// </summary>
    public FeasibleSet Resolve(ArchitectureMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var values = Items.Select(c => metrics.Values(c.Metric)).ToArray();
        var bounds = Items.Select((c, k) => c.ResolveBound(values[k])).ToArray();
        var feasible = new bool[metrics.Count];
        int count = 0;
        for (int i = 0; i < feasible.Length; i++)
        {
            bool ok = true;
            for (int k = 0; k < Items.Count && ok; k++) ok = Items[k].Admits(values[k][i], bounds[k]);
            feasible[i] = ok;
            if (ok) count++;
        }
        if (count == 0)
        {
            for (int k = 0; k < Items.Count; k++)
            {
                double smallest = values[k].Min();
                if (!Items[k].Admits(smallest, bounds[k]))
                    throw new InvalidInputException(System.FormattableString.Invariant(
                        $"no architecture of {metrics.Source} satisfies {Items[k].Text}: the smallest {Items[k].Metric} is {smallest:G6} {ArchitectureMetrics.Unit(Items[k].Metric)}"));
            }
            throw new InvalidInputException($"no architecture of {metrics.Source} satisfies all of {Label} together");
        }
        return new FeasibleSet(this, metrics, bounds, feasible, count);
    }
}
