using System.CommandLine;
using WeakNas.Cli;
using Xunit;

namespace WeakNas.Tests.Cli;

public class NumericOptionsTests
{
    private static IReadOnlyList<(string Path, Symbol Symbol)> All() =>
        NumericOptions.Numeric(WeakNasCli.Root(TextWriter.Null, TextWriter.Null)).ToList();

    [Fact]
    public void Every_numeric_option_of_every_command_has_a_range()
    {
        var missing = All().Where(s => NumericOptions.RangeOf(s.Path, s.Symbol.Name) == null).Select(s => $"{s.Path} {s.Symbol.Name}").ToList();
        Assert.True(missing.Count == 0, "no range for: " + string.Join("; ", missing));
        Assert.True(All().Count > 40);
    }

    [Fact]
    public void Every_default_lies_inside_its_range()
    {
        var outside = new List<string>();
        foreach (var (path, symbol) in All())
        {
            var range = NumericOptions.RangeOf(path, symbol.Name)!;
            object? value = symbol switch
            {
                Option o when o.HasDefaultValue => o.GetDefaultValue(),
                Argument a when a.HasDefaultValue => a.GetDefaultValue(),
                _ => null,
            };
            if (value != null && !range.Contains(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)))
                outside.Add($"{path} {symbol.Name} = {value}");
        }
        Assert.True(outside.Count == 0, string.Join("; ", outside));
    }

    [Theory]
    // A decimal comma is not a thousands separator: refused, never read as 15 or 96.
    [InlineData("--grace: '1,5' is not a finite number", "study", "create", "s", "--storage", "memory:", "--grace", "1,5")]
    [InlineData("--top-decay: '0,96' is not a finite number", "search", "--top-decay", "0,96")]
    [InlineData("--value: '1,5' is not a finite number", "study", "tell", "s", "0", "--storage", "memory:", "--value", "1,5")]
    [InlineData("--budget: '1,000' is not an integer", "search", "--budget", "1,000")]
    [InlineData("--budget: '1e3' is not an integer", "search", "--budget", "1e3")]
    [InlineData("--budget: '12.5' is not an integer", "search", "--budget", "12.5")]
    [InlineData("--budget must be between 1 and 1000000 evaluations, got 99999999999", "search", "--budget", "99999999999")]
    // Not finite, or past what the runtime's timers hold (about 24.8 days).
    [InlineData("--top-decay: 'Infinity' is not a finite number", "search", "--top-decay", "Infinity")]
    [InlineData("--grace: 'NaN' is not a finite number", "study", "create", "s", "--storage", "memory:", "--grace", "NaN")]
    [InlineData("--timeout must be above 0 and at most 2000000 seconds, got 1e308", "worker", "s", "--storage", "memory:", "--evaluate", "true", "--timeout", "1e308")]
    [InlineData("--timeout must be between 1 and 2000000 seconds, got 2160000", "search", "--space", "x.yaml", "--evaluate", "true", "--timeout", "2160000")]
    [InlineData("--grace must be between 0.01 and 500000 seconds, got 3e6", "study", "create", "s", "--storage", "memory:", "--grace", "3e6")]
    [InlineData("--delay must be between 0 and 86400 seconds, got 1e9", "worker", "s", "--storage", "memory:", "--benchmark", "cifar10", "--delay", "1e9")]
    // Sizes that cannot fit are refused before anything is allocated.
    [InlineData("--jobs must be between 1 and 256, got 100000000", "worker", "s", "--storage", "memory:", "--evaluate", "true", "--jobs", "100000000")]
    [InlineData("--repeats must be between 1 and 1000, got 2000000000", "latency-model", "--repeats", "2000000000")]
    [InlineData("--max-trials must be between 1 and 2147483647, got 0", "worker", "s", "--storage", "memory:", "--evaluate", "true", "--max-trials", "0")]
    [InlineData("--max-trials must be between 1 and 2147483647, got -1", "worker", "s", "--storage", "memory:", "--evaluate", "true", "--max-trials", "-1")]
    [InlineData("--seed: '1.5' is not a whole number", "search", "--seed", "1.5")]
    [InlineData("trial must be between 0 and 2147483647, got -4", "study", "tell", "s", "-4", "--storage", "memory:", "--value", "1")]
    public void Numbers_parse_invariant_and_in_range_or_give_one_line(string expected, params string[] args) =>
        CliRunner.AssertOneLineError(CliRunner.Run(args), expected);

    [Theory]
    [InlineData("16000,16000", "256,000,000 weights between its layers, at most 100,000,000")]
    [InlineData("64,0", "layer 2 is '0', expected a whole number from 1 to 16384")]
    [InlineData("64,1e3", "layer 2 is '1e3', expected a whole number from 1 to 16384")]
    [InlineData("1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "17 layers, at most 16")]
    public void A_predictor_that_cannot_fit_is_refused_before_allocating(string hidden, string expected) =>
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--hidden", hidden), expected);

    [Fact]
    public void Numbers_in_range_are_read_exactly_under_any_culture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // German writes 1,5 for 1.5 and 1.000 for 1000: the command line must not care.
            var german = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            german.NumberFormat.NumberDecimalSeparator = ",";
            german.NumberFormat.NumberGroupSeparator = ".";
            System.Globalization.CultureInfo.CurrentCulture = german;
            var result = CliRunner.Run("study", "create", "s", "--storage", "memory:", "--grace", "1.5", "--budget", "20");
            Assert.True(result.Code == 0, result.Err);
            CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "s", "--storage", "memory:", "--grace", "1,5"), "--grace: '1,5' is not a finite number");
            CliRunner.AssertOneLineError(CliRunner.Run("search", "--budget", "1.000"), "--budget: '1.000' is not an integer");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }
}
