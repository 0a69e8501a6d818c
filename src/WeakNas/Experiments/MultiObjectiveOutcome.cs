using WeakNas.MultiObjective;

namespace WeakNas.Experiments;

/// <summary>
/// What a multi-objective search found: the front of its evaluated architectures (by their true search metric and costs)
/// and its hypervolume against the true front's, with the reference point both are measured from.
/// </summary>
/// <param name="Objectives">The objectives' label, e.g. <c>accuracy,latency:pixel3</c>.</param>
/// <param name="Costs">The cost names, in the order of <see cref="FrontMember.Costs"/>.</param>
/// <param name="Front">The found front, by ascending first cost.</param>
/// <param name="HypervolumeRatio">Hypervolume of the found front divided by the true front's.</param>
/// <param name="Hypervolume">Hypervolume of the found front (normalised objectives).</param>
/// <param name="TrueHypervolume">Hypervolume of the true front.</param>
/// <param name="TrueFrontSize">Architectures on the true front.</param>
/// <param name="Reference">The reference point in normalised minimised objectives.</param>
/// <param name="Ranges">Per objective (accuracy first) the normalisation box: lowest and highest admissible value.</param>
public sealed record MultiObjectiveOutcome(
    string Objectives, IReadOnlyList<string> Costs, IReadOnlyList<FrontMember> Front, double HypervolumeRatio, double Hypervolume,
    double TrueHypervolume, int TrueFrontSize, IReadOnlyList<double> Reference, IReadOnlyList<(double Low, double High)> Ranges)
{
    /// <summary>Scores the queries of <paramref name="result"/> against <paramref name="problem"/>.</summary>
    public static MultiObjectiveOutcome Of(MultiObjectiveProblem problem, string objectives, SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(result);
        var byIndex = result.Queries.GroupBy(q => q.Index).ToDictionary(g => g.Key, g => g.First());
        var front = problem.FrontOf(result.Queries.Select(q => q.Index))
            .Select(i => new FrontMember(byIndex[i], problem.Accuracy(i), Enumerable.Range(0, problem.Dimensions - 1).Select(k => problem.Cost(k, i)).ToArray()))
            .OrderBy(m => m.Costs[0]).ThenByDescending(m => m.Accuracy).ToList();
        double ratio = problem.HypervolumeRatio(front.Select(m => m.Query.Index));
        return new MultiObjectiveOutcome(objectives, problem.Names.Skip(1).ToList(), front, ratio, ratio * problem.TrueHypervolume,
            problem.TrueHypervolume, problem.TrueFront.Length, problem.Reference, Enumerable.Range(0, problem.Dimensions).Select(problem.Range).ToList());
    }

    /// <summary>A run record completed with the objectives, the architectures evaluated and the hypervolume ratio after each query.</summary>
    public static RunRecord Complete(MultiObjectiveProblem problem, string objectives, SearchResult result, RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var indices = result.Queries.Select(q => q.Index).ToArray();
        return record with { Objectives = objectives, Indices = indices, Hypervolume = problem.HypervolumeTrace(indices) };
    }
}

/// <summary>An architecture of a found front: its query, its true search metric (what the front is judged on) and its costs.</summary>
public sealed record FrontMember(QueryRecord Query, double Accuracy, double[] Costs);
