using WeakNas.Spaces.NasBench201;

namespace WeakNas.Hardware;

/// <summary>
/// A constraint as every run of a benchmark shares it: the feasible set from the table and, when feasibility is to be
/// learned rather than read, the runtime model's settings. <see cref="Start"/> gives each run its own state.
/// </summary>
public sealed class ConstraintSetup
{
    public ConstraintSetup(FeasibleSet feasible, RuntimeModelOptions? model = null)
    {
        Feasible = feasible ?? throw new ArgumentNullException(nameof(feasible));
        if (model != null)
        {
            model.Validate();
            if (!feasible.Constraints.HasLatency)
                throw new InvalidInputException($"--latency-model needs a latency constraint (latency:DEVICE<=BOUND); got {feasible.Label}");
            if (feasible.Metrics.Count != NasBench201Space.Instance.Count)
                throw new InvalidInputException("the latency runtime model exists for NAS-Bench-201 (nb201) only");
        }
        Model = model;
    }

    public FeasibleSet Feasible { get; }

    /// <summary>The runtime model's settings, or null when the search reads feasibility from the table.</summary>
    public RuntimeModelOptions? Model { get; }

    /// <summary>
    /// The name runs are recorded and grouped under: the constraints as written, with the runtime model's settings added
    /// when a model decides feasibility (so runs of different modes never mix in a summary or a resumed log).
    /// </summary>
    public string Label => LabelOf(Feasible, Model);

    internal static string LabelOf(FeasibleSet feasible, RuntimeModelOptions? model) => model == null
        ? feasible.Label
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{feasible.Label} via model ({model.Settings}, {model.CalibrationSamples} calibration)");

    /// <summary>"table" or the runtime model's settings.</summary>
    public string Mode => Model == null ? TableConstraintRun.TableMode : Model.Describe();

    /// <summary>A fresh per-run state; a runtime model's calibration draws depend on <paramref name="seed"/>.</summary>
    public ConstraintRun Start(ulong seed) => Model == null ? new TableConstraintRun(Feasible) : new RuntimeModelConstraintRun(Feasible, Model, seed);
}
