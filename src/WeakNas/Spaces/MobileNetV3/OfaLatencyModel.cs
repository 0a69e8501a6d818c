using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Numerics;

namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// A per-block additive latency model of once-for-all MobileNetV3 subnets for a device measured only as a whole (the
/// GPU latencies of HELP's 5,000 subnets): latency = a + b·s + Σ over active blocks (c[slot, k, e] + d[slot, k, e]·s),
/// with s = (r / 224)², so each block costs a fixed launch overhead plus work that grows with the pixels. Fitted by least
/// squares (a tiny ridge on all but the constant when the measurements do not determine every term).
/// </summary>
public sealed class OfaLatencyModel
{
    private const int Combos = 9; // kernel size × expand ratio
    public const int TermCount = 2 + 2 * OfaSubnet.Slots * Combos;

    private readonly double[] _b;

    private OfaLatencyModel(double[] b) => _b = b;

    public static OfaLatencyModel Fit(IReadOnlyList<OfaSubnet> subnets, IReadOnlyList<double> latency)
    {
        ArgumentNullException.ThrowIfNull(subnets);
        ArgumentNullException.ThrowIfNull(latency);
        if (subnets.Count != latency.Count || subnets.Count == 0) throw new ArgumentException("one latency per subnet, at least one subnet");
        var equations = new NormalEquations(TermCount);
        var row = new double[TermCount];
        for (int i = 0; i < subnets.Count; i++)
        {
            Terms(subnets[i], row);
            equations.Add(row, latency[i]);
        }
        return new OfaLatencyModel(equations.Solve(unpenalisedColumn: 0).Coefficients);
    }

    public double Predict(OfaSubnet subnet)
    {
        var row = new double[TermCount];
        Terms(subnet, row);
        double sum = 0;
        for (int t = 0; t < TermCount; t++) sum += row[t] * _b[t];
        return sum;
    }

    private static void Terms(OfaSubnet subnet, double[] row)
    {
        Array.Clear(row);
        double s = subnet.Resolution / 224.0 * (subnet.Resolution / 224.0);
        row[0] = 1;
        row[1] = s;
        for (int slot = 0; slot < OfaSubnet.Slots; slot++)
        {
            if (!subnet.IsActive(slot)) continue;
            int combo = subnet.KernelChoice(slot) * 3 + subnet.ExpandChoice(slot);
            int term = 2 + 2 * (slot * Combos + combo);
            row[term] = 1;
            row[term + 1] = s;
        }
    }
}

/// <summary>HELP's measured GPU latencies of 5,000 once-for-all subnets (<c>ofa/ofa_latency_help.csv</c>): the subnets and one column per device setting.</summary>
public sealed class OfaMeasuredLatency
{
    public const string RelativePath = "ofa/ofa_latency_help.csv";

    /// <summary>The device settings the file measures (four GPUs at batch 1, 32 and 64).</summary>
    public static IReadOnlyList<string> KnownDevices { get; } =
        [.. new[] { "2080ti", "titan_rtx", "titan_xp", "v100" }.SelectMany(g => new[] { 1, 32, 64 }.Select(b => $"{g}_{b}"))];

    private OfaMeasuredLatency(IReadOnlyList<OfaSubnet> subnets, IReadOnlyList<(string Device, double[] Latency)> devices)
    {
        Subnets = subnets;
        Devices = devices;
    }

    public IReadOnlyList<OfaSubnet> Subnets { get; }

    public IReadOnlyList<(string Device, double[] Latency)> Devices { get; }

    public static OfaMeasuredLatency Load(BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string path = data.FolderFile(RelativePath)
            ?? throw new InvalidInputException($"HELP's measured latencies are not embedded: pass --data DIR (a folder holding {RelativePath}) or set {DataFolder.EnvironmentVariable}");
        WeakNas.Data.InputFile.Check(path);
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2) throw new InvalidInputException($"{path}: no rows");
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is int c and >= 0 ? c : throw new InvalidInputException($"{path}:1: no column '{name}'");
        var ks = Enumerable.Range(0, OfaSubnet.Slots).Select(i => Column($"ks{i}")).ToArray();
        var e = Enumerable.Range(0, OfaSubnet.Slots).Select(i => Column($"e{i}")).ToArray();
        var d = Enumerable.Range(0, OfaSubnet.Stages).Select(i => Column($"d{i}")).ToArray();
        int r = Column("r");
        var known = new HashSet<int>([.. ks, .. e, .. d, r, Column("id")]);
        var deviceColumns = Enumerable.Range(0, header.Length).Where(c => !known.Contains(c)).ToArray();
        var subnets = new List<OfaSubnet>(lines.Length - 1);
        var values = deviceColumns.Select(_ => new List<double>(lines.Length - 1)).ToArray();
        for (int l = 1; l < lines.Length; l++)
        {
            if (lines[l].Length == 0) continue;
            var cells = lines[l].Split(',');
            if (cells.Length != header.Length) throw new InvalidInputException($"{path}:{l + 1}: {cells.Length} fields, expected {header.Length}");
            int Int(int c) => int.TryParse(cells[c], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
                : throw new InvalidInputException($"{path}:{l + 1}: {header[c]} '{cells[c]}' is not a whole number");
            try
            {
                subnets.Add(new OfaSubnet(ks.Select(Int).ToArray(), e.Select(Int).ToArray(), d.Select(Int).ToArray(), Int(r)));
            }
            catch (ArgumentException error)
            {
                throw new InvalidInputException($"{path}:{l + 1}: {error.Message}", error);
            }
            for (int k = 0; k < deviceColumns.Length; k++)
            {
                int c = deviceColumns[k];
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0)
                    throw new InvalidInputException($"{path}:{l + 1}: {header[c]} '{cells[c]}' is not a positive latency");
                values[k].Add(v);
            }
        }
        return new OfaMeasuredLatency(subnets, [.. deviceColumns.Select((c, k) => (header[c], values[k].ToArray()))]);
    }
}
