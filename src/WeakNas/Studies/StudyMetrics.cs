using System.Globalization;
using System.Text.Json;

namespace WeakNas.Studies;

/// <summary>Reads the search metric out of an evaluator's JSON object, with a clear message when it is not there.</summary>
public static class StudyMetrics
{
    /// <summary>The finite number under <paramref name="metric"/>; an <see cref="EvaluationException"/> otherwise.</summary>
    public static double Read(string json, string metric)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new EvaluationException($"metrics are not JSON: {Shorten(json)} ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new EvaluationException($"metrics must be a JSON object, got {Shorten(json)}");
            if (!document.RootElement.TryGetProperty(metric, out var value))
                throw new EvaluationException($"metrics have no '{metric}': {Shorten(json)}");
            double number = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                // NaN and infinities are not JSON numbers; Python's json module writes them bare or as strings.
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
                _ => throw new EvaluationException($"metric '{metric}' is not a number: {Shorten(value.GetRawText())}"),
            };
            if (!double.IsFinite(number)) throw new EvaluationException($"metric '{metric}' is {number.ToString(CultureInfo.InvariantCulture)}, not a finite number");
            return number;
        }
    }

    internal static string Shorten(string text, int max = 200)
    {
        text = text.Trim();
        return text.Length <= max ? text : text[..max] + "…";
    }
}

/// <summary>An evaluation that did not produce a usable result; the message is recorded with the failed trial.</summary>
public sealed class EvaluationException(string message, Exception? inner = null) : Exception(message, inner);
