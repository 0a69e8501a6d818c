using System.Globalization;
using WeakNas.Benchmarks;

namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// A per-layer latency lookup table of the once-for-all MobileNetV3 space: a subnet's latency is the sum of its layers'
/// measured means (the additive runtime model of Single-Path NAS and once-for-all's own latency estimator). Two tables are
/// public: an Intel i7-8700K CPU (device <c>i7-8700k</c>, one file for both widths and resolutions 96..256, keys such as
/// <c>MBConv-input:100x100x16-output:50x50x24-expand:3-kernel:3-stride:2-idskip:0-se:0</c>) and a Samsung Note10
/// (device <c>note10</c>, w1.2, one file per resolution 160..224, keys such as
/// <c>expanded_conv-input:14x14x136-output:14x14x136-expand:408-kernel:3-stride:1-idskip:1-se:1-hs:1</c>).
/// </summary>
public sealed class OfaLatencyTable : IOfaLatency
{
    public const string Cpu = "i7-8700k";
    public const string Note10 = "note10";

    public static IReadOnlyList<string> KnownDevices { get; } = [Cpu, Note10];

    // Stages whose blocks use hard-swish (once-for-all MobileNetV3: the last three).
    private static readonly bool[] StageHardSwish = [false, false, true, true, true];

    private readonly Dictionary<int, Dictionary<string, double>> _byResolution;
    private readonly Dictionary<string, double>? _all;

    private OfaLatencyTable(string device, string source, Dictionary<string, double>? all, Dictionary<int, Dictionary<string, double>> byResolution)
    {
        Device = device;
        Source = source;
        _all = all;
        _byResolution = byResolution;
    }

    public string Device { get; }

    /// <summary>Where the table was read from, for messages.</summary>
    public string Source { get; }

    /// <summary>Reads a device's table from a data folder (<c>ofa/i7-8700K_lut.yaml</c> or <c>ofa/note10/*_lookup_table.yaml</c>).</summary>
    public static OfaLatencyTable Load(BenchmarkData data, string device)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!KnownDevices.Contains(device)) throw new InvalidInputException(IOfaLatency.UnknownDevice(device));
        if (data.Folder == null)
            throw new InvalidInputException($"latency:{device} reads once-for-all's latency tables, which are not embedded: pass --data DIR (a folder holding ofa/) or set {DataFolder.EnvironmentVariable}");
        switch (device)
        {
            case Cpu:
            {
                string path = Path.Combine(data.Folder, "ofa", "i7-8700K_lut.yaml");
                return new OfaLatencyTable(device, path, Parse(path), []);
            }
            case Note10:
            {
                string folder = Path.Combine(data.Folder, "ofa", "note10");
                if (!Directory.Exists(folder)) throw new InvalidInputException($"latency table folder not found: {folder}");
                var tables = new Dictionary<int, Dictionary<string, double>>();
                foreach (string file in Directory.GetFiles(folder, "*_lookup_table.yaml").Order(StringComparer.Ordinal))
                {
                    string name = Path.GetFileName(file);
                    if (int.TryParse(name[..name.IndexOf('_', StringComparison.Ordinal)], NumberStyles.None, CultureInfo.InvariantCulture, out int r)) tables[r] = Parse(file);
                }
                if (tables.Count == 0) throw new InvalidInputException($"no RESOLUTION_lookup_table.yaml in {folder}");
                return new OfaLatencyTable(device, folder, null, tables);
            }
            default:
                throw new InvalidInputException(IOfaLatency.UnknownDevice(device));
        }
    }

    /// <summary>
    /// The table's layers as (key, mean in ms): each entry is a line <c>KEY:</c> followed by indented <c>name: value</c>
    /// lines, of which <c>mean</c> is kept. An <see cref="InvalidInputException"/> names the file and line of a malformed entry.
    /// </summary>
    internal static Dictionary<string, double> Parse(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"latency table not found: {path}");
        var table = new Dictionary<string, double>(StringComparer.Ordinal);
        string? key = null;
        int line = 0, keyLine = 0;
        WeakNas.Data.InputFile.Check(path);
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            if (raw.Length == 0 || raw.TrimStart().StartsWith('#')) continue;
            if (raw[0] != ' ')
            {
                if (key != null) throw new InvalidInputException($"{path}:{keyLine}: layer '{key}' has no mean");
                if (!raw.EndsWith(':')) throw new InvalidInputException($"{path}:{line}: expected 'LAYER:' , got '{raw}'");
                key = raw[..^1];
                keyLine = line;
                continue;
            }
            string text = raw.Trim();
            if (!text.StartsWith("mean:", StringComparison.Ordinal)) continue;
            if (key == null) throw new InvalidInputException($"{path}:{line}: a mean outside any layer");
            if (!double.TryParse(text.AsSpan(5), NumberStyles.Float, CultureInfo.InvariantCulture, out double mean) || !double.IsFinite(mean) || mean < 0)
                throw new InvalidInputException($"{path}:{line}: mean '{text[5..].Trim()}' of '{key}' is not a non-negative number");
            if (!table.TryAdd(key, mean)) throw new InvalidInputException($"{path}:{line}: layer '{key}' appears twice");
            key = null;
        }
        if (key != null) throw new InvalidInputException($"{path}:{keyLine}: layer '{key}' has no mean");
        if (table.Count == 0) throw new InvalidInputException($"{path}: no layers");
        return table;
    }

    /// <summary>The subnet's latency (ms) at the given width: the sum over its layers; an error names a layer the table lacks.</summary>
    public double Latency(OfaSubnet subnet, double width)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var table = _all ?? (_byResolution.TryGetValue(subnet.Resolution, out var t) ? t
            : throw new InvalidInputException($"the {Device} latency table has resolutions {string.Join(", ", _byResolution.Keys.Order())}, not {subnet.Resolution}"));
        double total = 0;
        foreach (string key in Layers(subnet, width, Device == Note10))
        {
            if (!table.TryGetValue(key, out double mean))
                throw new InvalidInputException($"the {Device} latency table ({Source}) has no layer '{key}' (width {width.ToString(CultureInfo.InvariantCulture)}, resolution {subnet.Resolution})");
            total += mean;
        }
        return total;
    }

    /// <summary>The keys of a subnet's layers, in order, in the naming of the CPU table or of once-for-all's Note10 tables.</summary>
    internal static IEnumerable<string> Layers(OfaSubnet subnet, double width, bool note10)
    {
        var w = OfaMetrics.BaseWidths.Select(b => OfaMetrics.MakeDivisible(b * width)).ToArray();
        int r = subnet.Resolution;
        int h = Down(r, 2);
        yield return note10 ? $"Conv-input:{r}x{r}x3-output:{h}x{h}x{w[0]}" : $"first_conv-input:{r}x{r}x3-output:{h}x{h}x{w[0]}";
        yield return Block(h, w[0], h, w[1], note10 ? w[0] : 1, 3, 1, w[0] == w[1], false, false);
        int channels = w[1];
        for (int stage = 0; stage < OfaSubnet.Stages; stage++)
        {
            for (int block = 0; block < subnet.Depth(stage); block++)
            {
                int slot = stage * OfaSubnet.SlotsPerStage + block;
                int stride = block == 0 ? OfaMetrics.StageStrides[stage] : 1;
                int output = w[2 + stage], side = Down(h, stride);
                int expand = note10
                    ? OfaMetrics.MakeDivisible(Math.Round(channels * (double)subnet.ExpandRatio(slot), MidpointRounding.ToEven))
                    : subnet.ExpandRatio(slot);
                yield return Block(h, channels, side, output, expand, subnet.KernelSize(slot), stride, stride == 1 && channels == output,
                    OfaMetrics.StageSe[stage], StageHardSwish[stage]);
                h = side;
                channels = output;
            }
        }
        if (note10)
        {
            yield return $"Conv_1-input:{h}x{h}x{channels}-output:{h}x{h}x{w[7]}";
            yield return $"AvgPool2D-input:{h}x{h}x{w[7]}-output:1x1x{w[7]}";
            yield return $"Conv_2-input:1x1x{w[7]}-output:1x1x{w[8]}";
            yield return $"Logits-input:1x1x{w[8]}-output:{OfaMetrics.Classes}";
        }
        else
        {
            yield return $"final_expand_layer-input:{h}x{h}x{channels}-output:{h}x{h}x{w[7]}";
            yield return $"feature_mix_layer-input:1x1x{w[7]}-output:1x1x{w[8]}";
            yield return $"classifier-input:{w[8]}-output:{OfaMetrics.Classes}";
        }

        string Block(int side, int input, int outSide, int output, int expand, int kernel, int stride, bool skip, bool se, bool hs) =>
            (note10 ? "expanded_conv" : "MBConv")
            + $"-input:{side}x{side}x{input}-output:{outSide}x{outSide}x{output}-expand:{expand}-kernel:{kernel}-stride:{stride}-idskip:{(skip ? 1 : 0)}-se:{(se ? 1 : 0)}"
            + (note10 ? $"-hs:{(hs ? 1 : 0)}" : "");
    }

    // A 'same'-padded convolution's output side.
    private static int Down(int side, int stride) => (side - 1) / stride + 1;
}

/// <summary>A device's latency for any once-for-all MobileNetV3 subnet: a lookup table, or a model fitted on measurements.</summary>
public interface IOfaLatency
{
    string Device { get; }

    /// <summary>Milliseconds; an <see cref="InvalidInputException"/> when the source cannot tell for this subnet.</summary>
    double Latency(OfaSubnet subnet, double width);

    /// <summary>Every device a search can bound: the lookup tables' and HELP's measured GPU settings.</summary>
    static IReadOnlyList<string> Devices => [.. OfaLatencyTable.KnownDevices, .. OfaMeasuredLatency.KnownDevices];

    internal static string UnknownDevice(string device) =>
        $"unknown device '{device}' for ofa-mbv3; devices: {string.Join(", ", OfaLatencyTable.KnownDevices)} (lookup tables), {string.Join(", ", OfaMeasuredLatency.KnownDevices)} (HELP's measured GPUs, through a per-block model fitted on them)";

    /// <summary>A device's latency source from a data folder: its lookup table, or the per-block model fitted on all of HELP's measurements of it.</summary>
    static IOfaLatency Load(Benchmarks.BenchmarkData data, string device)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (OfaLatencyTable.KnownDevices.Contains(device)) return OfaLatencyTable.Load(data, device);
        if (!OfaMeasuredLatency.KnownDevices.Contains(device)) throw new InvalidInputException(UnknownDevice(device));
        var measured = OfaMeasuredLatency.Load(data);
        var latency = measured.Devices.First(d => d.Device == device).Latency;
        return new FittedLatency(device, OfaLatencyModel.Fit(measured.Subnets, latency));
    }

    private sealed class FittedLatency(string device, OfaLatencyModel model) : IOfaLatency
    {
        public string Device { get; } = device;

        // HELP does not record the width of its measured subnets: the model answers for the subnet's blocks and resolution.
        public double Latency(OfaSubnet subnet, double width) => model.Predict(subnet);
    }
}
