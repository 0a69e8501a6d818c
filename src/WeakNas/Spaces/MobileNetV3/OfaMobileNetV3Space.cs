using System.Globalization;
using System.Text;
using System.Text.Json;
using WeakNas.Numerics;

namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// The once-for-all MobileNetV3 space (Cai et al., ICLR 2020; the WeakNAS paper's ImageNet search): 5 stages of depth
/// 2 to 4, each block a kernel size (3, 5, 7) and an expand ratio (3, 4, 6), and an input resolution fixed or chosen
/// from a list; about 2 × 10^19 subnets. The width multiplier (1.0 or 1.2, the two released supernets) changes the
/// subnets' FLOPs and parameters (<see cref="OfaMetrics"/>), not the decisions. Sampling is once-for-all's: every slot's
/// kernel size and expand ratio, then every stage's depth, uniformly; mutation and neighbours change one active decision.
/// </summary>
public sealed class OfaMobileNetV3Space : ISearchSpace<OfaSubnet>
{
    /// <summary>The widths of the two released supernets.</summary>
    public static IReadOnlyList<double> Widths { get; } = [1.0, 1.2];

    private readonly int[] _resolutions;

    /// <param name="width">1.0 or 1.2.</param>
    /// <param name="resolutions">The resolutions searched (default 224 only); each 32 to 1024, distinct.</param>
    public OfaMobileNetV3Space(double width = 1.2, IReadOnlyList<int>? resolutions = null)
    {
        if (!Widths.Contains(width)) throw new InvalidInputException($"once-for-all MobileNetV3 width must be 1.0 or 1.2, got {width.ToString(CultureInfo.InvariantCulture)}");
        _resolutions = [.. resolutions ?? [224]];
        if (_resolutions.Length == 0) throw new InvalidInputException("once-for-all MobileNetV3: give at least one resolution");
        foreach (int r in _resolutions)
            if (r is < 32 or > 1024) throw new InvalidInputException($"once-for-all MobileNetV3 resolution {r} is outside 32..1024");
        if (_resolutions.Distinct().Count() != _resolutions.Length) throw new InvalidInputException("once-for-all MobileNetV3: a resolution is listed twice");
        Width = width;
    }

    public string Name => "ofa-mbv3";

    public double Width { get; }

    public IReadOnlyList<int> Resolutions => _resolutions;

    public OfaSubnet Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var ks = new int[OfaSubnet.Slots];
        var e = new int[OfaSubnet.Slots];
        var d = new int[OfaSubnet.Stages];
        for (int i = 0; i < ks.Length; i++) ks[i] = OfaSubnet.KernelSizes[rng.NextInt(3)];
        for (int i = 0; i < e.Length; i++) e[i] = OfaSubnet.ExpandRatios[rng.NextInt(3)];
        for (int s = 0; s < d.Length; s++) d[s] = OfaSubnet.Depths[rng.NextInt(3)];
        int r = _resolutions.Length == 1 ? _resolutions[0] : _resolutions[rng.NextInt(_resolutions.Length)];
        return new OfaSubnet(ks, e, d, r);
    }

    /// <summary>Changes one active decision (an active block's kernel size or expand ratio, a depth, the resolution) to another value, uniformly.</summary>
    public OfaSubnet Mutate(OfaSubnet arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(rng);
        var moves = Moves(arch);
        var (kind, position) = moves[rng.NextInt(moves.Count)];
        var choices = Choices(kind);
        int current = Value(arch, kind, position);
        int pick = rng.NextInt(choices.Count - 1);
        int value = choices[pick] == current ? choices[^1] : choices[pick];
        return Change(arch, kind, position, value);
    }

    public IReadOnlyList<OfaSubnet> Neighbours(OfaSubnet arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var neighbours = new List<OfaSubnet>();
        foreach (var (kind, position) in Moves(arch))
        {
            int current = Value(arch, kind, position);
            foreach (int value in Choices(kind))
                if (value != current) neighbours.Add(Change(arch, kind, position, value));
        }
        return neighbours;
    }

    private enum Kind { Kernel, Expand, Depth, Resolution }

    private List<(Kind Kind, int Position)> Moves(OfaSubnet arch)
    {
        var moves = new List<(Kind, int)>(2 * OfaSubnet.Slots + OfaSubnet.Stages + 1);
        for (int i = 0; i < OfaSubnet.Slots; i++) if (arch.IsActive(i)) moves.Add((Kind.Kernel, i));
        for (int i = 0; i < OfaSubnet.Slots; i++) if (arch.IsActive(i)) moves.Add((Kind.Expand, i));
        for (int s = 0; s < OfaSubnet.Stages; s++) moves.Add((Kind.Depth, s));
        if (_resolutions.Length > 1) moves.Add((Kind.Resolution, 0));
        return moves;
    }

    private IReadOnlyList<int> Choices(Kind kind) => kind switch
    {
        Kind.Kernel => OfaSubnet.KernelSizes,
        Kind.Expand => OfaSubnet.ExpandRatios,
        Kind.Depth => OfaSubnet.Depths,
        _ => _resolutions,
    };

    private static int Value(OfaSubnet arch, Kind kind, int position) => kind switch
    {
        Kind.Kernel => arch.KernelSize(position),
        Kind.Expand => arch.ExpandRatio(position),
        Kind.Depth => arch.Depth(position),
        _ => arch.Resolution,
    };

    private static OfaSubnet Change(OfaSubnet arch, Kind kind, int position, int value)
    {
        switch (kind)
        {
            case Kind.Kernel:
                var ks = arch.KernelSizeList();
                ks[position] = value;
                return arch.With(ks: ks);
            case Kind.Expand:
                var e = arch.ExpandRatioList();
                e[position] = value;
                return arch.With(e: e);
            case Kind.Depth:
                var d = arch.DepthList();
                d[position] = value;
                return arch.With(d: d);
            default:
                return arch.With(resolution: value);
        }
    }

    /// <summary>The paper's raw numbers: 20 kernel sizes, 20 expand ratios (0 for inactive blocks), 5 depths; then the resolution's position when several are searched.</summary>
    public int EncodingLength => 2 * OfaSubnet.Slots + OfaSubnet.Stages + (_resolutions.Length > 1 ? 1 : 0);

    public void Encode(OfaSubnet arch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(arch);
        if (destination.Length < EncodingLength) throw new ArgumentException($"Need {EncodingLength} floats, got {destination.Length}.", nameof(destination));
        for (int i = 0; i < OfaSubnet.Slots; i++)
        {
            bool active = arch.IsActive(i);
            destination[i] = active ? arch.KernelSize(i) : 0;
            destination[OfaSubnet.Slots + i] = active ? arch.ExpandRatio(i) : 0;
        }
        for (int s = 0; s < OfaSubnet.Stages; s++) destination[2 * OfaSubnet.Slots + s] = arch.Depth(s);
        if (_resolutions.Length > 1) destination[2 * OfaSubnet.Slots + OfaSubnet.Stages] = Array.IndexOf(_resolutions, arch.Resolution);
    }

    /// <summary>Depths, then the active blocks' kernel size and expand ratio ('-' for an inactive block), then the resolution.</summary>
    public string CanonicalKey(OfaSubnet arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var key = new StringBuilder(80);
        for (int s = 0; s < OfaSubnet.Stages; s++) key.Append((char)('0' + arch.Depth(s)));
        key.Append('|');
        for (int i = 0; i < OfaSubnet.Slots; i++)
        {
            if (arch.IsActive(i)) key.Append((char)('0' + arch.KernelSize(i))).Append((char)('0' + arch.ExpandRatio(i)));
            else key.Append("--");
        }
        return key.Append('|').Append(arch.Resolution.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    public string Format(OfaSubnet arch) => FormatJson(arch);

    /// <summary>once-for-all's JSON: <c>{"ks":[20],"e":[20],"d":[5],"r":224}</c>.</summary>
    internal static string FormatJson(OfaSubnet arch) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"ks\":[{string.Join(",", arch.KernelSizeList())}],\"e\":[{string.Join(",", arch.ExpandRatioList())}],\"d\":[{string.Join(",", arch.DepthList())}],\"r\":{arch.Resolution}}}");

    /// <summary>
    /// Reads once-for-all's JSON (<c>"r"</c> a number or a one-element list, as some tools write it; without <c>"r"</c>
    /// when the space has one resolution). A <see cref="FormatException"/> names the key and what is wrong.
    /// </summary>
    public OfaSubnet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a once-for-all subnet: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("a once-for-all subnet is a JSON object with \"ks\", \"e\", \"d\" (and \"r\")");
            foreach (var property in root.EnumerateObject())
                if (property.Name is not ("ks" or "e" or "d" or "r" or "image_size"))
                    throw new FormatException($"unknown key \"{property.Name}\" in a once-for-all subnet; expected ks, e, d, r");
            var ks = Integers(root, "ks", OfaSubnet.Slots, OfaSubnet.KernelSizes, "kernel sizes");
            var e = Integers(root, "e", OfaSubnet.Slots, OfaSubnet.ExpandRatios, "expand ratios");
            var d = Integers(root, "d", OfaSubnet.Stages, OfaSubnet.Depths, "depths");
            int r = Resolution(root);
            return new OfaSubnet(ks, e, d, r);
        }
    }

    private static int[] Integers(JsonElement root, string key, int count, IReadOnlyList<int> allowed, string what)
    {
        if (!root.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new FormatException($"\"{key}\" must be a list of {count} {what} ({string.Join(", ", allowed)})");
        if (array.GetArrayLength() != count)
            throw new FormatException($"\"{key}\" must hold {count} {what}, got {array.GetArrayLength()}");
        var values = new int[count];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double v) || v != Math.Floor(v) || !allowed.Contains((int)v))
                throw new FormatException($"\"{key}\"[{i}] is {item.GetRawText()}; {what} are {string.Join(", ", allowed)}");
            values[i++] = (int)v;
        }
        return values;
    }

    private int Resolution(JsonElement root)
    {
        bool has = root.TryGetProperty("r", out var r) || root.TryGetProperty("image_size", out r);
        if (!has)
        {
            if (_resolutions.Length == 1) return _resolutions[0];
            throw new FormatException($"\"r\" is missing; this space searches the resolutions {string.Join(", ", _resolutions)}");
        }
        if (r.ValueKind == JsonValueKind.Array && r.GetArrayLength() == 1) r = r[0];
        if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out int value))
            throw new FormatException($"\"r\" is {r.GetRawText()}; a resolution is a whole number (or a list of one)");
        if (!_resolutions.Contains(value))
            throw new FormatException($"\"r\" is {value}; this space searches the resolution{(_resolutions.Length > 1 ? "s" : "")} {string.Join(", ", _resolutions)}");
        return value;
    }
}
