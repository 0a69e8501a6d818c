using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace WeakNas.Cli;

/// <summary>
/// Every number on the command line: parsed culture-invariant (digits, an optional sign, '.' as the decimal point and
/// an exponent for decimals; no thousands separators, so `1,5` is an error rather than 15), never NaN or infinite, and
/// inside its option's range, checked when the line is parsed, before any work. The ranges live here, in one table:
/// an option's own entry (command path and name) or else the entry of its name; the tests check that every numeric
/// option and argument of every command has one, and that every default lies inside it.
/// </summary>
internal static class NumericOptions
{
    /// <summary>An allowed interval; <paramref name="Unit"/> is named in messages (seconds, MB, ...).</summary>
    internal sealed record Range(double Min, double Max, string? Unit = null, bool MinExclusive = false)
    {
        public bool Contains(double value) => (MinExclusive ? value > Min : value >= Min) && value <= Max;

        public string Describe()
        {
            string unit = Unit == null ? "" : " " + Unit;
            return MinExclusive ? $"above {Format(Min)} and at most {Format(Max)}{unit}" : $"between {Format(Min)} and {Format(Max)}{unit}";
        }
    }

    /// <summary>The longest wait the runtime's timers support is int.MaxValue ms (24.8 days); durations stay below it.</summary>
    internal const double MaxSeconds = 2_000_000;

    private const double Count = 1_000_000;

    /// <summary>By option name; the same option means the same thing in every command unless <see cref="ByCommand"/> says otherwise.</summary>
    private static readonly Dictionary<string, Range> ByName = new(StringComparer.Ordinal)
    {
        ["--budget"] = new(1, Count, "evaluations"),
        ["--runs"] = new(1, 100_000),
        ["--jobs"] = new(1, 256),
        ["--seed"] = new(0, ulong.MaxValue),
        ["--first-seed"] = new(0, ulong.MaxValue),
        ["--pool-seed"] = new(0, ulong.MaxValue),
        ["--pool"] = new(1, 1_000_000, "architectures"),
        ["--front-at"] = new(1, Count, "evaluations"),
        ["--retries"] = new(0, 100),
        ["--timeout"] = new(0, MaxSeconds, "seconds", MinExclusive: true),
        ["--grace"] = new(0.01, MaxSeconds / 4, "seconds"),
        ["--delay"] = new(0, 86_400, "seconds"),
        ["--max-attempts"] = new(1, 1000),
        ["--max-trials"] = new(1, int.MaxValue),
        ["--max-failures"] = new(0, 1_000_000),
        ["--batch"] = new(1, 100_000),
        ["--count"] = new(1, 100_000),
        ["--value"] = new(-1e300, 1e300),
        ["--initial"] = new(1, Count),
        ["--per-iteration"] = new(1, 100_000),
        ["--top"] = new(1, 10_000_000),
        ["--top-start"] = new(1, 10_000_000),
        ["--top-end"] = new(1, 10_000_000),
        ["--top-decay"] = new(0, 1, MinExclusive: true),
        ["--stall-patience"] = new(0, 100_000, "iterations"),
        ["--stall-widen"] = new(1, 1000),
        ["--explore"] = new(0, 100_000),
        ["--predictors"] = new(1, 100),
        ["--greedy"] = new(0, 100_000),
        ["--greedy-when-sure"] = new(0, 1),
        ["--epochs"] = new(1, 100_000),
        ["--trees"] = new(1, 100_000),
        ["--tree-depth"] = new(1, 64),
        ["--tree-leaves"] = new(2, 131_072),
        ["--tree-learning-rate"] = new(0, 1, MinExclusive: true),
        ["--latency-margin"] = new(0, 0.999),
        ["--latency-sigmas"] = new(0, 100),
        ["--latency-samples"] = new(0, 100_000),
        ["--repeats"] = new(1, 1000),
        ["--samples"] = new(1, 100_000),
        ["--width"] = new(0.1, 10),
        ["--resolution"] = new(112, 239, "pixels"),
        ["trial"] = new(0, int.MaxValue),
    };

    /// <summary>Where one command's option differs from the option of that name elsewhere ("command path --name").</summary>
    private static readonly Dictionary<string, Range> ByCommand = new(StringComparer.Ordinal)
    {
        ["perf --samples"] = new(1, 1000),
        ["study perf --workers"] = new(1, 256),
        ["study perf --window"] = new(1, Count, "trials"),
        ["bench --jobs"] = new(1, 128),
        ["space metrics --resolution"] = new(32, 1024, "pixels"),
        ["search --timeout"] = new(1, MaxSeconds, "seconds"),
        ["search --grace"] = new(1, 86_400, "seconds"),
        ["dashboard --port"] = new(0, 65_535),
        ["dashboard --refresh"] = new(0.5, 3600, "seconds"),
        ["dashboard --exit-after"] = new(0, MaxSeconds, "seconds"),
    };

    /// <summary>Installs the strict parser and range check on every numeric option and argument under <paramref name="root"/>.</summary>
    public static void Install(Command root)
    {
        foreach (var (path, symbol) in Numeric(root))
        {
            var range = RangeOf(path, symbol.Name);
            switch (symbol)
            {
                case Option<int> o: o.CustomParser = r => (int)Parse(r, symbol.Name, range, integer: true); break;
                case Option<int?> o: o.CustomParser = r => (int)Parse(r, symbol.Name, range, integer: true); break;
                case Option<ulong> o: o.CustomParser = r => ParseUnsigned(r, symbol.Name); break;
                case Option<ulong?> o: o.CustomParser = r => ParseUnsigned(r, symbol.Name); break;
                case Option<double> o: o.CustomParser = r => Parse(r, symbol.Name, range, integer: false); break;
                case Option<double?> o: o.CustomParser = r => Parse(r, symbol.Name, range, integer: false); break;
                case Argument<int> a: a.CustomParser = r => (int)Parse(r, symbol.Name, range, integer: true); break;
                default: throw new InvalidOperationException($"{path} {symbol.Name}: numeric type {symbol.GetType()} has no parser");
            }
        }
    }

    /// <summary>Every numeric option and argument of the tree, with the path of the command that holds it.</summary>
    internal static IEnumerable<(string Path, Symbol Symbol)> Numeric(Command root)
    {
        var stack = new Stack<(string, Command)>();
        stack.Push((root.Name, root));
        while (stack.Count > 0)
        {
            var (path, command) = stack.Pop();
            foreach (var option in command.Options)
                if (IsNumeric(option.ValueType)) yield return (path, option);
            foreach (var argument in command.Arguments)
                if (IsNumeric(argument.ValueType)) yield return (path, argument);
            foreach (var sub in command.Subcommands) stack.Push((path + " " + sub.Name, sub));
        }
    }

    private static bool IsNumeric(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        // Every numeric type counts, so an option of a type Install has no parser for fails the tests rather than parse loosely.
        return type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(double) || type == typeof(uint) || type == typeof(float);
    }

    /// <summary>The range of an option in a command, or null when the table has none (the tests forbid that).</summary>
    internal static Range? RangeOf(string path, string name)
    {
        string command = path.StartsWith(WeakNasCli.CommandName + " ", StringComparison.Ordinal) ? path[(WeakNasCli.CommandName.Length + 1)..] : path;
        return ByCommand.TryGetValue(command + " " + name, out var own) ? own : ByName.GetValueOrDefault(name);
    }

    private static double Parse(ArgumentResult result, string name, Range? range, bool integer)
    {
        string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        var styles = integer ? NumberStyles.AllowLeadingSign : NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!double.TryParse(token, styles, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || (integer && value != Math.Floor(value)))
        {
            result.AddError(integer
                ? $"{name}: '{token}' is not an integer (digits only, no separators)"
                : $"{name}: '{token}' is not a finite number (digits with '.' as the decimal point, no thousands separators)");
            return 0;
        }
        if (range != null && !range.Contains(value))
        {
            result.AddError($"{name} must be {range.Describe()}, got {token}");
            return 0;
        }
        if (integer && (value < int.MinValue || value > int.MaxValue) && range == null)
        {
            result.AddError($"{name}: {token} is too large");
            return 0;
        }
        return value;
    }

    private static ulong ParseUnsigned(ArgumentResult result, string name)
    {
        string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)) return value;
        result.AddError($"{name}: '{token}' is not a whole number from 0 to {ulong.MaxValue.ToString(CultureInfo.InvariantCulture)} (digits only)");
        return 0;
    }

    private static string Format(double value) => value switch
    {
        >= 1e19 and < 1e20 => ulong.MaxValue.ToString(CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 1e15 => value.ToString("0.###E+0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.############", CultureInfo.InvariantCulture),
    };
}
