using System.CommandLine;
using WeakNas.Hardware;

namespace WeakNas.Cli;

/// <summary>The constraint options `search` and `bench` share: --constraint (repeatable) and the runtime model's settings.</summary>
internal sealed class ConstraintCliOptions
{
    private readonly Option<string[]> _constraint = new("--constraint")
    {
        Description = "A bound every evaluated architecture must meet, repeatable (all must hold): METRIC<=BOUND or METRIC<BOUND (or >=, > for a lower bound), "
            + "METRIC params (millions), flops (MFLOPs, ofa-mbv3) or latency:DEVICE (ms: a device of nb201_latency.csv, or of ofa-mbv3's tables), BOUND a number or a percentile pQ over all cells, "
            + "e.g. latency:pixel3<=12.5, params<=0.8, latency:fpga<=p25, flops>=550. ofa-mbv3 defaults to the paper's flops>=550 and flops<=600.",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<bool> _latencyModel = new("--latency-model") { Description = "Judge latency constraints with a runtime model (per-(edge, op) costs fitted by least squares on the cells measured so far) instead of the table." };
    private readonly Option<double?> _sigmas = new("--latency-sigmas") { Description = "Runtime model: admit an unmeasured cell when its predicted latency plus this many residual standard errors of the fit meets the bound (default 1)." };
    private readonly Option<double?> _margin = new("--latency-margin") { Description = "Runtime model: an extra relative margin, the bound is multiplied by (1 - margin) (default 0)." };
    private readonly Option<int?> _samples = new("--latency-samples") { Description = "Runtime model: random cells measured before the search to fit the first model (default 50)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _constraint, _latencyModel, _sigmas, _margin, _samples }) command.Options.Add(option);
    }

    /// <summary>The --constraint options, parsed (null when none); syntax errors are reported before any table is read.</summary>
    public ConstraintSet? Constraints(ParseResult parse) => ConstraintSet.Parse(parse.GetValue(_constraint));

    /// <summary>The --constraint texts as given (null when none is).</summary>
    public string[]? Texts(ParseResult parse) => parse.GetValue(_constraint) is { Length: > 0 } texts ? texts : null;

    /// <summary>The runtime model's settings, or null when feasibility is read from the table.</summary>
    public RuntimeModelOptions? Model(ParseResult parse)
    {
        double? margin = parse.GetValue(_margin);
        double? sigmas = parse.GetValue(_sigmas);
        int? samples = parse.GetValue(_samples);
        if (!parse.GetValue(_latencyModel))
        {
            if (sigmas != null) throw new InvalidInputException("--latency-sigmas applies only with --latency-model");
            if (margin != null) throw new InvalidInputException("--latency-margin applies only with --latency-model");
            if (samples != null) throw new InvalidInputException("--latency-samples applies only with --latency-model");
            return null;
        }
        var defaults = new RuntimeModelOptions();
        var options = new RuntimeModelOptions
        {
            Sigmas = sigmas ?? defaults.Sigmas, Margin = margin ?? defaults.Margin, CalibrationSamples = samples ?? defaults.CalibrationSamples,
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks that --latency-model comes with a latency constraint (before any table is read).</summary>
    public static void CheckModelNeedsLatency(RuntimeModelOptions? model, IEnumerable<ConstraintSet?> sets)
    {
        if (model != null && !sets.Any(s => s?.HasLatency == true))
            throw new InvalidInputException("--latency-model needs a latency constraint, e.g. --constraint latency:pixel3<=12.5");
    }
}
