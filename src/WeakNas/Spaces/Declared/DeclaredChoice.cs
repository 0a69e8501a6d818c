using System.Globalization;
using System.Text.Json;

namespace WeakNas.Spaces.Declared;

/// <summary>
/// One value a decision can take: a JSON string, number or boolean. Numbers compare by value (3 and 3.0 are one choice),
/// strings exactly.
/// </summary>
public sealed record DeclaredChoice
{
    private DeclaredChoice(JsonValueKind kind, string json, string text, decimal? number)
    {
        Kind = kind;
        Json = json;
        Text = text;
        Number = number;
    }

    /// <summary>String, Number, True or False.</summary>
    public JsonValueKind Kind { get; }

    /// <summary>The value as JSON (<c>"conv3x3"</c>, <c>3</c>, <c>0.5</c>, <c>true</c>).</summary>
    public string Json { get; }

    /// <summary>The value as a person writes it in a table cell (<c>conv3x3</c>, <c>3</c>, <c>true</c>).</summary>
    public string Text { get; }

    /// <summary>The value of a number choice.</summary>
    public decimal? Number { get; }

    public static DeclaredChoice String(string value) => new(JsonValueKind.String, JsonSerializer.Serialize(value), value, null);

    public static DeclaredChoice Of(decimal value)
    {
        string text = value.ToString(CultureInfo.InvariantCulture);
        // Normalise 3.0 to 3 and 0.50 to 0.5, so a value prints the same however it was written.
        if (text.Contains('.', StringComparison.Ordinal)) text = text.TrimEnd('0').TrimEnd('.');
        return new(JsonValueKind.Number, text, text, value);
    }

    public static DeclaredChoice Boolean(bool value) => new(value ? JsonValueKind.True : JsonValueKind.False, value ? "true" : "false", value ? "true" : "false", null);

    /// <summary>A JSON element's value, or null when it is not a string, a number or a boolean.</summary>
    public static DeclaredChoice? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => String(element.GetString()!),
        JsonValueKind.Number when element.TryGetDecimal(out decimal d) => Of(d),
        JsonValueKind.True => Boolean(true),
        JsonValueKind.False => Boolean(false),
        _ => null,
    };

    /// <summary>True when <paramref name="other"/> is the same value (numbers by value).</summary>
    public bool Matches(DeclaredChoice other) =>
        other is not null && (Number is { } a && other.Number is { } b ? a == b : Kind == other.Kind && Json == other.Json);

    /// <summary>True when a table cell's text names this value (<c>3</c> for the number 3, <c>conv3x3</c> for the string).</summary>
    public bool MatchesText(string cell) =>
        Number is { } n
            ? decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) && d == n
            : string.Equals(Text, cell, StringComparison.Ordinal);

    public override string ToString() => Json;
}
