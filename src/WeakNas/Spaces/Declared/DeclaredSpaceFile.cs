using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace WeakNas.Spaces.Declared;

/// <summary>
/// Reads a space declaration, JSON or YAML (by the file's extension):
/// <code>
/// {"name": "my-space",
///  "decisions": [
///    {"name": "depth",  "choices": [2, 3, 4]},
///    {"name": "op",     "choices": ["conv3x3", "conv5x5", "skip"]},
///    {"name": "width",  "range": {"low": 16, "high": 64, "step": 16}},
///    {"name": "block4", "choices": ["conv3x3", "skip"], "when": {"depth": [4]}}]}
/// </code>
/// <c>decisions</c> may also be an object from name to declaration (order kept). <c>choices</c> are distinct strings,
/// numbers or booleans; <c>range</c> is an integer range with an optional step (default 1); <c>when</c> maps earlier
/// decisions to the values that switch this one on (all must hold). Every error names the file and the decision.
/// </summary>
public static class DeclaredSpaceFile
{
    /// <summary>The most choices one decision may have (a range is listed choice by choice).</summary>
    public const int MaxChoices = 100_000;

    /// <summary>True when <paramref name="space"/> names a declaration file rather than a built-in space.</summary>
    public static bool IsDeclaration(string space) =>
        space.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || space.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
        || space.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    public static DeclaredSpace Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new InvalidInputException($"space declaration not found: {path}");
        WeakNas.Data.InputFile.Check(path);
        string text = File.ReadAllText(path);
        bool yaml = !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return Parse(text, name, yaml);
    }

    /// <summary>Parses a declaration; <paramref name="source"/> names it in errors.</summary>
    public static DeclaredSpace Parse(string text, string source, bool yaml = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonNode? root;
        try
        {
            root = yaml ? FromYaml(text, source) : JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}: not valid JSON: {e.Message}", e);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidInputException($"{source}: not valid YAML (line {e.Start.Line}): {e.InnerException?.Message ?? e.Message}", e);
        }
        if (root is not JsonObject top) throw new InvalidInputException($"{source}: expected an object with \"name\" and \"decisions\"");
        string spaceName = top["name"] is JsonValue n && n.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : Path.GetFileNameWithoutExtension(source);
        foreach (var (key, _) in top)
            if (key is not ("name" or "decisions" or "description")) throw new InvalidInputException($"{source}: unknown key '{key}' (expected name, decisions, description)");

        var entries = new List<(string Name, JsonObject Spec)>();
        switch (top["decisions"])
        {
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is not JsonObject spec || spec["name"] is not JsonValue v || !v.TryGetValue(out string? decisionName) || string.IsNullOrWhiteSpace(decisionName))
                        throw new InvalidInputException($"{source}: decision {i + 1}: expected an object with a \"name\"");
                    entries.Add((decisionName, spec));
                }
                break;
            case JsonObject map:
                foreach (var (decisionName, spec) in map)
                    entries.Add((decisionName, spec as JsonObject ?? throw new InvalidInputException($"{source}: decision '{decisionName}': expected an object with \"choices\" or \"range\"")));
                break;
            default:
                throw new InvalidInputException($"{source}: \"decisions\" must be a list (or an object) of decisions");
        }
        if (entries.Count == 0) throw new InvalidInputException($"{source}: no decisions declared");

        var decisions = new List<DeclaredDecision>();
        foreach (var (decisionName, spec) in entries)
        {
            string where = $"{source}: decision '{decisionName}'";
            if (decisions.Any(d => d.Name == decisionName)) throw new InvalidInputException($"{where} is declared twice");
            foreach (var (key, _) in spec)
                if (key is not ("name" or "choices" or "range" or "when" or "description")) throw new InvalidInputException($"{where}: unknown key '{key}' (expected choices, range, when)");
            var choices = (spec["choices"], spec["range"]) switch
            {
                (JsonArray list, null) => Choices(list, where),
                (null, JsonObject range) => Range(range, where),
                (null, null) => throw new InvalidInputException($"{where}: needs \"choices\" (a list) or \"range\" ({{\"low\", \"high\", \"step\"}})"),
                (not null, not null) => throw new InvalidInputException($"{where}: has both \"choices\" and \"range\"; give one"),
                _ => throw new InvalidInputException($"{where}: \"choices\" must be a list and \"range\" an object"),
            };
            decisions.Add(new DeclaredDecision(decisionName, choices, Conditions(spec["when"], decisions, where)));
        }
        return new DeclaredSpace(spaceName, decisions);
    }

    private static List<DeclaredChoice> Choices(JsonArray list, string where)
    {
        if (list.Count == 0) throw new InvalidInputException($"{where}: \"choices\" is empty");
        if (list.Count > MaxChoices) throw new InvalidInputException($"{where}: {list.Count} choices, at most {MaxChoices}");
        var choices = new List<DeclaredChoice>();
        foreach (var node in list)
        {
            var choice = node == null ? null : DeclaredChoice.FromJson(JsonSerializer.SerializeToElement(node));
            if (choice == null) throw new InvalidInputException($"{where}: choice {node?.ToJsonString() ?? "null"} is not a string, number or boolean");
            if (choices.Any(c => c.Matches(choice))) throw new InvalidInputException($"{where}: choice {choice.Json} appears twice");
            choices.Add(choice);
        }
        return choices;
    }

    private static List<DeclaredChoice> Range(JsonObject range, string where)
    {
        long Bound(string key, long? fallback)
        {
            var node = range[key];
            if (node == null) return fallback ?? throw new InvalidInputException($"{where}: \"range\" needs \"{key}\"");
            var element = JsonSerializer.SerializeToElement(node);
            return element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out decimal d) && d == decimal.Truncate(d) && Math.Abs(d) < 1e15m
                ? (long)d
                : throw new InvalidInputException($"{where}: \"range\" {key} is {node.ToJsonString()}, expected an integer");
        }
        foreach (var (key, _) in range)
            if (key is not ("low" or "high" or "step")) throw new InvalidInputException($"{where}: \"range\" has unknown key '{key}' (expected low, high, step)");
        long low = Bound("low", null), high = Bound("high", null), step = Bound("step", 1);
        if (step <= 0) throw new InvalidInputException($"{where}: \"range\" step must be positive, got {step}");
        if (high < low) throw new InvalidInputException($"{where}: \"range\" low {low} is above high {high}");
        long count = (high - low) / step + 1;
        if (count > MaxChoices) throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture, $"{where}: \"range\" has {count:N0} values, at most {MaxChoices:N0}"));
        var choices = new List<DeclaredChoice>((int)count);
        for (long v = low; v <= high; v += step) choices.Add(DeclaredChoice.Of(v));
        return choices;
    }

    private static List<DeclaredCondition> Conditions(JsonNode? when, List<DeclaredDecision> earlier, string where)
    {
        if (when == null) return [];
        if (when is not JsonObject map || map.Count == 0) throw new InvalidInputException($"{where}: \"when\" must map earlier decisions to their values, e.g. {{\"depth\": [3, 4]}}");
        var conditions = new List<DeclaredCondition>();
        foreach (var (name, values) in map)
        {
            int d = earlier.FindIndex(e => e.Name == name);
            if (d < 0) throw new InvalidInputException($"{where}: \"when\" names '{name}', which is not a decision declared before it");
            var list = values as JsonArray ?? (values is JsonValue ? new JsonArray(values.DeepClone()) : null);
            if (list == null || list.Count == 0) throw new InvalidInputException($"{where}: \"when\" '{name}' needs a value or a list of values");
            var indices = new List<int>();
            foreach (var node in list)
            {
                var value = node == null ? null : DeclaredChoice.FromJson(JsonSerializer.SerializeToElement(node));
                int index = value == null ? -1 : earlier[d].IndexOf(value);
                if (index < 0)
                    throw new InvalidInputException($"{where}: \"when\" '{name}' has {node?.ToJsonString() ?? "null"}, which is not one of its choices ({string.Join(", ", earlier[d].Choices.Select(c => c.Json))})");
                indices.Add(index);
            }
            conditions.Add(new DeclaredCondition(d, indices));
        }
        return conditions;
    }

    /// <summary>YAML to the same JSON tree: plain scalars that read as numbers or booleans become those, the rest strings.</summary>
    private static JsonNode? FromYaml(string text, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0) throw new InvalidInputException($"{source}: empty YAML document");
        return Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
            YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };

        static JsonNode? Scalar(YamlScalarNode scalar)
        {
            string value = scalar.Value ?? "";
            if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any)) return JsonValue.Create(value);
            if (value is "true" or "True" or "TRUE") return JsonValue.Create(true);
            if (value is "false" or "False" or "FALSE") return JsonValue.Create(false);
            if (value is "null" or "~" or "") return null;
            if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal d))
                return JsonValue.Create(d);
            return JsonValue.Create(value);
        }
    }
}
