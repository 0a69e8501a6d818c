using System.Text.Json;
using System.Text.Json.Nodes;
using WeakNas.Spaces.Declared;
using WeakNas.Studies;

namespace WeakNas.Cli.Dashboard;

/// <summary>
/// What the dashboard's JSON endpoints answer, read from the storage through <see cref="IStudyStorage"/> alone (never a
/// write): the studies with the counts and best trial of <see cref="StudyStatus"/> (what `weaknas study status` prints),
/// and one study's spec, status and trials with their metrics parsed, and, for a declared space, its decisions and each
/// trial's choice of every decision.
/// </summary>
internal static class DashboardData
{
    /// <summary>Every study of the storage, by name, with its counts, best trial and pause.</summary>
    public static JsonObject Studies(IStudyStorage storage, DashboardSettings settings)
    {
        var studies = new JsonArray();
        foreach (string name in storage.StudyNames().Order(StringComparer.Ordinal))
        {
            if (storage.FindStudy(name) is not { } spec) continue; // deleted between the two reads
            var status = StudyStatus.Of(spec, storage.Trials(name), storage.Paused(name));
            var summary = Summary(spec);
            summary["status"] = Status(status);
            studies.Add(summary);
        }
        return new JsonObject
        {
            ["storage"] = settings.StorageLabel, ["refresh_ms"] = settings.RefreshMs, ["studies"] = studies,
        };
    }

    /// <summary>One study: its spec, status, metric names, declared decisions and trials (those numbered <paramref name="from"/> and up), or null when there is none of that name.</summary>
    public static JsonObject? Study(IStudyStorage storage, string name, int from, DashboardSettings settings)
    {
        if (storage.FindStudy(name) is not { } spec) return null;
        var trials = storage.Trials(name);
        var status = StudyStatus.Of(spec, trials, storage.Paused(name));
        var space = Declared(spec);
        var metrics = new List<string>();
        var numeric = new HashSet<string>(StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var t in trials)
        {
            var parsed = Metrics(t.Metrics);
            if (parsed != null)
                foreach (var (key, value) in parsed)
                {
                    if (key == spec.Metric) continue;
                    if (!metrics.Contains(key)) metrics.Add(key);
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number) numeric.Add(key);
                }
            if (t.Number >= from) array.Add(TrialJson(t, parsed, space));
        }
        var specJson = (JsonObject)JsonNode.Parse(spec.ToJson())!;
        specJson.Remove("declaration"); // given as decisions below
        var result = Summary(spec);
        result["spec"] = specJson;
        result["status"] = Status(status);
        result["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m, ["numeric"] = numeric.Contains(m) })]);
        result["decisions"] = space == null ? null : new JsonArray([.. space.Decisions.Select(d => (JsonNode)new JsonObject
        {
            ["name"] = d.Name, ["choices"] = new JsonArray([.. d.Choices.Select(c => (JsonNode)JsonValue.Create(c.Text))]),
        })]);
        result["from"] = from;
        result["trials"] = array;
        // Nothing that changes by itself (no clock): the page redraws only when the answer changed.
        result["refresh_ms"] = settings.RefreshMs;
        return result;
    }

    private static JsonObject Summary(StudySpec spec) => new()
    {
        ["name"] = spec.Name, ["space"] = spec.Space, ["declared"] = spec.Declaration != null, ["strategy"] = spec.Strategy, ["seed"] = spec.Seed,
        ["budget"] = spec.Budget, ["metric"] = spec.Metric, ["batch"] = spec.BatchSize, ["created_ms"] = spec.CreatedMs,
    };

    private static JsonObject Status(StudyStatus s) => new()
    {
        ["total"] = s.Total, ["complete"] = s.Complete, ["failed"] = s.Failed, ["running"] = s.Running, ["waiting"] = s.Waiting, ["workers"] = s.Workers,
        ["paused"] = s.Paused,
        ["best"] = s.Best is { } b ? new JsonObject { ["number"] = b.Number, ["value"] = b.Value, ["arch"] = b.Arch, ["index"] = b.ArchIndex } : null,
    };

    private static JsonObject TrialJson(Trial t, JsonObject? metrics, DeclaredSpace? space)
    {
        var json = new JsonObject
        {
            ["number"] = t.Number, ["batch"] = t.Batch, ["index"] = t.ArchIndex, ["arch"] = t.Arch, ["state"] = Trial.StateName(t.State), ["value"] = t.Value,
            ["metrics"] = metrics?.DeepClone(), ["worker"] = t.Worker, ["attempts"] = t.Attempts, ["error"] = t.Error,
            ["created_ms"] = t.CreatedMs, ["started_ms"] = t.StartedMs, ["finished_ms"] = t.FinishedMs, ["heartbeat_ms"] = t.HeartbeatMs,
            ["duration_ms"] = t is { StartedMs: long start, FinishedMs: long end } ? end - start : null,
        };
        if (space != null) json["choices"] = Choices(space, t.Arch);
        return json;
    }

    /// <summary>The trial's metrics object, or null (not complete, or not an object: shown without metrics rather than failing the page).</summary>
    private static JsonObject? Metrics(string? text)
    {
        if (text == null) return null;
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The study's declared space, or null for a built-in one (or a declaration this version cannot read).</summary>
    private static DeclaredSpace? Declared(StudySpec spec)
    {
        if (spec.Declaration == null) return null;
        try
        {
            return DeclaredSpaceFile.Parse(spec.Declaration, $"study '{spec.Name}'");
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }

    /// <summary>The choice index of each decision (-1 inactive), or null when the text is not an architecture of the space.</summary>
    private static JsonArray? Choices(DeclaredSpace space, string arch)
    {
        try
        {
            var a = space.Parse(arch);
            return new JsonArray([.. Enumerable.Range(0, space.Decisions.Count).Select(d => (JsonNode)JsonValue.Create(a[d]))]);
        }
        catch (Exception e) when (e is FormatException or InvalidInputException)
        {
            return null;
        }
    }
}

/// <summary>What the endpoints say besides the data: the storage as the page names it and how often the page refreshes.</summary>
internal sealed record DashboardSettings(string StorageLabel, int RefreshMs);
