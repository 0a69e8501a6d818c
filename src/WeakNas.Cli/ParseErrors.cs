using System.CommandLine;
using System.Text.RegularExpressions;

namespace WeakNas.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into this command's one-line messages: option kinds in words (never
/// <c>System.Int32</c>), unknown commands and options named with the nearest known one.
/// </summary>
internal static partial class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        string path = CommandPath(parse);
        // An unknown word explains a "required command" error too, so it comes first.
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct();
                return $"unknown option '{token}' for '{path}'{Hint(token, names)}";
            }
            if (command.Subcommands.Count > 0)
                return $"unknown command '{token}' for '{path}'{Hint(token, command.Subcommands.Select(c => c.Name))} (commands: {string.Join(", ", command.Subcommands.Select(c => c.Name))})";
            return $"unexpected argument '{token}' for '{path}'";
        }
        string message = parse.Errors[0].Message;
        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal) && command.Subcommands.Count > 0)
            return $"'{path}' needs a command: one of {string.Join(", ", command.Subcommands.Select(c => c.Name))} (see '{path} --help')";
        var missing = MissingValue().Match(message);
        if (missing.Success) return $"{missing.Groups[1].Value} needs a value";
        var cannot = CannotParse().Match(message);
        if (cannot.Success)
            return $"{cannot.Groups["option"].Value}: '{cannot.Groups["value"].Value}' is not {Kind(cannot.Groups["type"].Value)}";
        return message.TrimEnd('.');
    }

    /// <summary>The nearest of <paramref name="known"/> by edit distance, as "; did you mean 'x'?", or nothing when none is close.</summary>
    internal static string Hint(string given, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: Distance(given, k))).OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal).FirstOrDefault();
        int allowed = Math.Max(2, given.TrimStart('-').Length / 3);
        return best.Name != null && best.Distance <= allowed ? $"; did you mean '{best.Name}'?" : "";
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result != null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Kind(string type)
    {
        var nullable = NullableOf().Match(type);
        if (nullable.Success) type = nullable.Groups[1].Value;
        return type switch
        {
            "System.Int32" or "System.Int64" => "an integer",
            "System.UInt32" or "System.UInt64" => "a whole number of at least 0",
            "System.Double" or "System.Single" => "a number (with '.' as the decimal point)",
            "System.Boolean" => "true or false",
            _ => "a valid value",
        };
    }

    /// <summary>Edit distance with a swap of two neighbours counted as one edit, as a typo makes it; case is ignored.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1])) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];

        static bool Same(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Required argument missing for option: '([^']+)'")]
    private static partial Regex MissingValue();

    [GeneratedRegex(@"^System\.Nullable`1\[(.+)\]$")]
    private static partial Regex NullableOf();
}
