using System.Globalization;
using System.Text;

namespace WeakNas.Studies;

/// <summary>Counts by state and the best trial so far: what `weaknas study status` prints.</summary>
public sealed record StudyStatus(StudySpec Spec, int Waiting, int Running, int Complete, int Failed, Trial? Best, int Workers, string? Paused = null)
{
    public int Total => Waiting + Running + Complete + Failed;

    public static StudyStatus Of(StudySpec spec, IReadOnlyList<Trial> trials, string? paused = null)
    {
        int Count(TrialState s) => trials.Count(t => t.State == s);
        var best = trials.Where(t => t.State == TrialState.Complete).OrderByDescending(t => t.Value).ThenBy(t => t.Number).FirstOrDefault();
        int workers = trials.Where(t => t.State == TrialState.Running).Select(t => t.Worker).Distinct().Count();
        return new StudyStatus(spec, Count(TrialState.Waiting), Count(TrialState.Running), Count(TrialState.Complete), Count(TrialState.Failed), best, workers, paused);
    }

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(string.Create(inv, $"study {Spec.Name}: {Spec.Strategy} on {Spec.Space}, seed {Spec.Seed}, budget {Spec.Budget}, metric {Spec.Metric}"));
        if (Spec.Constraint is { } c) s.AppendLine("constraint: " + c.Describe());
        if (Paused != null) s.AppendLine($"PAUSED: {Paused} (resume with `weaknas study resume {Spec.Name}`)");
        s.AppendLine(string.Create(inv, $"trials: {Total} of {Spec.Budget} proposed; {Complete} complete, {Failed} failed, {Running} running ({Workers} workers), {Waiting} waiting"));
        s.AppendLine(Best is { } b
            ? string.Create(inv, $"best: trial {b.Number}, {Spec.Metric} {b.Value:F4}, {b.Arch}{(b.ArchIndex is int index ? $" (index {index})" : "")}")
            : "best: none yet");
        return s.ToString();
    }
}
