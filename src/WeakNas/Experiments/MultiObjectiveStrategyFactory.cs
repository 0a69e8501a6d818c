using WeakNas.Hardware;
using WeakNas.MultiObjective;
using WeakNas.Spaces;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>Builds a multi-objective strategy by its command-line name.</summary>
public static class MultiObjectiveStrategyFactory
{
    /// <summary>MO-WeakNAS, random search (the same strategy as single-objective), NSGA-II-style evolution.</summary>
    public static IReadOnlyList<string> Names { get; } = ["weaknas", "random", "nsga2"];

    public static void CheckName(string name)
    {
        if (!Names.Contains(name))
            throw new InvalidInputException($"unknown multi-objective strategy '{name}'; expected one of {string.Join(", ", Names)}");
    }

    /// <param name="constraint">A run's constraint (table feasibility), or null; the problem must be restricted to the same feasible set.</param>
    public static ISearchStrategy Create<TArch>(
        string name, IEnumerableSearchSpace<TArch> space, SpaceEncodings encodings, MultiObjectiveProblem problem, ulong seed, WeakNasOptions weakNas,
        ConstraintRun? constraint = null)
        where TArch : notnull, IEquatable<TArch>
    {
        CheckName(name);
        if (constraint is { UsesTable: false })
            throw new InvalidInputException("multi-objective search reads costs and feasibility from the table; --latency-model does not apply");
        Func<int, bool> admissible = problem.IsAdmissible;
        ISearchStrategy strategy = name switch
        {
            "weaknas" => new MultiObjectiveWeakNas(encodings.Predictor, encodings.PredictorLength, problem, weakNas, seed),
            "random" => new RandomSearch(space.Count, seed, admissible),
            _ => new Nsga2<TArch>(space, problem, seed),
        };
        return constraint == null ? strategy : new ConstrainedStrategy(strategy, constraint);
    }
}
