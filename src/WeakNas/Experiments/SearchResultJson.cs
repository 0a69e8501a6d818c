using System.Text;
using System.Text.Json;

namespace WeakNas.Experiments;

/// <summary>
/// Writes a <see cref="SearchResult"/> as the documented JSON layout (snake_case, fixed field order). A constrained search
/// adds a <c>constraint</c> object and a <c>feasible</c> flag on every query; an unconstrained one is written as before.
/// </summary>
public static class SearchResultJson
{
    public static string Serialize(SearchResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("strategy", result.Strategy);
            w.WriteString("space", result.Space);
            w.WriteString("dataset", result.Dataset);
            w.WriteString("noise", result.Noise);
            w.WriteNumber("seed", result.Seed);
            w.WriteNumber("budget", result.Budget);
            w.WriteNumber("seconds", Math.Round(result.Seconds, 3));
            // Only an interrupted search says so: a finished one's file stays as it always was.
            if (result.Interrupted) w.WriteBoolean("complete", false);
            bool constrained = result.Constraint != null;
            if (result.Constraint is { } c)
            {
                w.WriteStartObject("constraint");
                w.WriteString("label", c.Label);
                w.WriteString("constraints", c.Constraints);
                w.WriteString("bounds", c.Bounds);
                w.WriteString("mode", c.Mode);
                w.WriteNumber("feasible_architectures", c.FeasibleCount);
                w.WriteNumber("device_queries", c.DeviceQueries);
                w.WriteNumber("infeasible_evaluated", c.InfeasibleEvaluated);
                w.WriteEndObject();
            }
            w.WriteStartArray("queries");
            foreach (var q in result.Queries) WriteQuery(w, q, constrained);
            w.WriteEndArray();
            w.WritePropertyName("best");
            if (result.Best is { } best) WriteQuery(w, best, constrained); else w.WriteNullValue();
            if (result.OptimumIndex >= 0)
            {
                w.WriteStartObject("optimum");
                w.WriteNumber("index", result.OptimumIndex);
                w.WriteString("arch", result.OptimumArch);
                w.WriteNumber("search_acc", result.OptimumSearchAccuracy);
                w.WriteEndObject();
            }
            else
            {
                // An open space has no optimum; a search given a target (a pool's best) records it instead.
                w.WriteNull("optimum");
                if (!double.IsNaN(result.OptimumSearchAccuracy))
                {
                    w.WriteStartObject("target");
                    w.WriteString("arch", result.OptimumArch);
                    w.WriteNumber("search_acc", result.OptimumSearchAccuracy);
                    w.WriteEndObject();
                }
            }
            string reachedName = result.OptimumIndex >= 0 ? "found_optimum_at" : "reached_target_at";
            if (result.FoundOptimumAt is int at) w.WriteNumber(reachedName, at); else w.WriteNull(reachedName);
            if (result.Objectives is { } o) WriteObjectives(w, o);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteObjectives(Utf8JsonWriter w, MultiObjectiveOutcome o)
    {
        w.WriteStartObject("objectives");
        w.WriteString("label", o.Objectives);
        w.WriteNumber("hypervolume_ratio", o.HypervolumeRatio);
        w.WriteNumber("hypervolume", o.Hypervolume);
        w.WriteNumber("true_hypervolume", o.TrueHypervolume);
        w.WriteNumber("true_front_size", o.TrueFrontSize);
        w.WriteStartArray("reference_point");
        foreach (double r in o.Reference) w.WriteNumberValue(r);
        w.WriteEndArray();
        w.WriteStartObject("normalisation");
        string[] names = ["accuracy", .. o.Costs];
        for (int k = 0; k < names.Length; k++)
        {
            w.WriteStartArray(names[k]);
            w.WriteNumberValue(o.Ranges[k].Low);
            w.WriteNumberValue(o.Ranges[k].High);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartArray("front");
        foreach (var m in o.Front)
        {
            w.WriteStartObject();
            w.WriteNumber("n", m.Query.N);
            w.WriteNumber("index", m.Query.Index);
            w.WriteString("arch", m.Query.Arch);
            w.WriteNumber("search_acc", m.Accuracy);
            w.WriteNumber("test_acc", m.Query.TestAccuracy);
            for (int k = 0; k < o.Costs.Count; k++) w.WriteNumber(o.Costs[k], m.Costs[k]);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteQuery(Utf8JsonWriter w, QueryRecord q, bool constrained)
    {
        w.WriteStartObject();
        w.WriteNumber("n", q.N);
        w.WriteNumber("index", q.Index);
        w.WriteString("arch", q.Arch);
        w.WriteNumber("search_acc", q.SearchAccuracy);
        w.WriteNumber("test_acc", q.TestAccuracy);
        if (constrained) w.WriteBoolean("feasible", q.Feasible);
        w.WriteEndObject();
    }
}
