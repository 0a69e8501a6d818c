using System.Globalization;

namespace WeakNas.Hardware;

/// <summary>
/// Settings of constrained search without the latency table: latency is predicted by a
/// <see cref="NasBench201LatencyModel"/> refitted from the architectures measured so far.
/// </summary>
public sealed record RuntimeModelOptions
{
    /// <summary>
    /// Safety margin in the model's own uncertainty: an architecture not yet measured is admitted when its predicted
    /// latency plus this many residual standard errors (<see cref="NasBench201LatencyModel.ResidualStandardError"/>) meets
    /// the bound. 1 by default: an exact model (as on the FPGA and Eyeriss columns) then admits exactly the feasible cells,
    /// a noisy one (phones) keeps a distance from the bound in proportion to its error.
    /// </summary>
    public double Sigmas { get; init; } = 1;

    /// <summary>
    /// An extra relative margin: the predicted latency plus the sigma term must be at most the bound times (1 − margin).
    /// 0 by default.
    /// </summary>
    public double Margin { get; init; }

    /// <summary>Random architectures measured on the device before the search, to fit the first model (default 50).</summary>
    public int CalibrationSamples { get; init; } = 50;

    public void Validate()
    {
        if (!(Margin >= 0 && Margin < 1)) throw new InvalidInputException($"--latency-margin must be at least 0 and below 1, got {Margin.ToString(CultureInfo.InvariantCulture)}");
        if (!(Sigmas >= 0 && double.IsFinite(Sigmas))) throw new InvalidInputException($"--latency-sigmas must be zero or positive, got {Sigmas.ToString(CultureInfo.InvariantCulture)}");
        if (CalibrationSamples < 0) throw new InvalidInputException($"--latency-samples must be zero or positive, got {CalibrationSamples}");
    }

    /// <summary>E.g. "runtime model, 1 sigma, 50 calibration measurements".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"runtime model, {Settings}, {CalibrationSamples} calibration measurements");

    /// <summary>E.g. "1 sigma" or "1 sigma, margin 0.05".</summary>
    internal string Settings => string.Create(CultureInfo.InvariantCulture, $"{Sigmas:G4} sigma{(Margin > 0 ? $", margin {Margin:G4}" : "")}");
}
