using System.CommandLine;
using WeakNas.Spaces;
using WeakNas.Hardware;
using WeakNas.MultiObjective;

namespace WeakNas.Cli;

/// <summary>The multi-objective option `search` and `bench` share (--objectives), and what it rules out.</summary>
internal sealed class ObjectiveCliOptions
{
    private readonly Option<string?> _objectives = new("--objectives")
    {
        Description = "Multi-objective search: accuracy traded against costs, comma-separated: accuracy,latency:DEVICE[,params] "
            + "(accuracy maximised; latency:DEVICE, ms from nb201_latency.csv, and params, millions, minimised). "
            + "Strategies: weaknas (MO-WeakNAS), random, nsga2; scored by hypervolume against the true front.",
    };

    public void AddTo(Command command) => command.Options.Add(_objectives);

    /// <summary>The objectives, parsed (null when not given); checked before any table is read.</summary>
    public ObjectiveSet? Objectives(ParseResult parse) => parse.GetValue(_objectives) is { } text ? ObjectiveSet.Parse(text) : null;

    /// <summary>The options a multi-objective run cannot take, as one-line errors.</summary>
    public static void CheckCompatible(string space, bool stopAtOptimum, RuntimeModelOptions? model, int stallPatience)
    {
        if (SpaceRegistry.Find(space) is not { HasHardwareTables: true }) throw new InvalidInputException($"--objectives: multi-objective search needs a space with latency tables ({SpaceRegistry.WithHardwareTables}), not {space}");
        if (stopAtOptimum) throw new InvalidInputException("--stop-at-optimum does not apply to --objectives: a front has no single optimum");
        if (model != null) throw new InvalidInputException("--latency-model does not apply to --objectives: costs and feasibility are read from the table");
        if (stallPatience > 0) throw new InvalidInputException("--stall-patience does not apply to --objectives: there is no single best to stall on");
    }

    /// <summary>The problem over one NAS-Bench-201 table, under the constraint when one is given.</summary>
    public static MultiObjectiveProblem Problem(ObjectiveSet objectives, Benchmarks.NasBench201Benchmark benchmark, ArchitectureMetrics metrics, ConstraintSetup? setup) =>
        objectives.Resolve(benchmark.SearchAccuracy, metrics, setup?.Feasible);
}
