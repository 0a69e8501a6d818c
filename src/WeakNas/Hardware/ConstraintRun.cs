namespace WeakNas.Hardware;

/// <summary>
/// One search's view of a constraint: which architectures it may propose (<see cref="Admits"/>), what it learns when an
/// architecture is evaluated (<see cref="Measure"/>), and how many device measurements that cost. The truth used for
/// reporting (feasible or not, the constrained optimum) is always <see cref="Feasible"/>, from the table.
/// </summary>
public abstract class ConstraintRun
{
    protected ConstraintRun(FeasibleSet feasible)
    {
        Feasible = feasible ?? throw new ArgumentNullException(nameof(feasible));
    }

    public FeasibleSet Feasible { get; }

    /// <summary>True when admission is decided by the table, so only feasible architectures are ever admitted.</summary>
    public abstract bool UsesTable { get; }

    /// <summary>The name runs under this constraint are recorded and grouped under (see <see cref="ConstraintSetup.Label"/>).</summary>
    public abstract string Label { get; }

    /// <summary>How feasibility is decided: "table", or the runtime model's settings.</summary>
    public abstract string Mode { get; }

    /// <summary>The search's current belief: may it propose <paramref name="index"/>? Changes only in <see cref="Measure"/>.</summary>
    public abstract bool Admits(int index);

    /// <summary>Called once an architecture has been evaluated: a runtime model measures it on the device.</summary>
    public virtual void Measure(int index) { }

    /// <summary>Latency measurements made on devices (one per architecture and device), calibration included.</summary>
    public virtual int DeviceQueries => 0;
}

/// <summary>Feasibility read from the table: the search proposes only feasible architectures and measures nothing.</summary>
public sealed class TableConstraintRun(FeasibleSet feasible) : ConstraintRun(feasible)
{
    internal const string TableMode = "table";

    public override bool UsesTable => true;

    public override string Label => Feasible.Label;

    public override string Mode => TableMode;

    public override bool Admits(int index) => Feasible.Contains(index);
}
