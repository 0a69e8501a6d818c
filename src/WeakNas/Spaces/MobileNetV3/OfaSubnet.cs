namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// A subnet of the once-for-all MobileNetV3 supernet: a kernel size and an expand ratio for each of the 20 block slots,
/// a depth for each of the 5 stages (stage s uses slots 4s .. 4s+d-1; the other slots are inactive), and the input
/// resolution. Inactive slots keep their values, as once-for-all's configurations do, so a deeper mutation has them to
/// use; equality compares everything, the space's canonical key only what is active.
/// </summary>
public sealed class OfaSubnet : IEquatable<OfaSubnet>
{
    public const int Stages = 5;
    public const int SlotsPerStage = 4;
    public const int Slots = Stages * SlotsPerStage;

    public static IReadOnlyList<int> KernelSizes { get; } = [3, 5, 7];
    public static IReadOnlyList<int> ExpandRatios { get; } = [3, 4, 6];
    public static IReadOnlyList<int> Depths { get; } = [2, 3, 4];

    /// <summary>The position of an active slot's kernel size among <see cref="KernelSizes"/> (0, 1, 2).</summary>
    public int KernelChoice(int slot) => Choice(KernelSizes, _ks[slot]);

    /// <summary>The position of an active slot's expand ratio among <see cref="ExpandRatios"/> (0, 1, 2).</summary>
    public int ExpandChoice(int slot) => Choice(ExpandRatios, _e[slot]);

    private static int Choice(IReadOnlyList<int> choices, int value)
    {
        for (int i = 0; i < choices.Count; i++) if (choices[i] == value) return i;
        throw new ArgumentOutOfRangeException(nameof(value), value, "not a choice");
    }

    private readonly byte[] _ks;
    private readonly byte[] _e;
    private readonly byte[] _d;
    private readonly int _hash;

    public OfaSubnet(IReadOnlyList<int> ks, IReadOnlyList<int> e, IReadOnlyList<int> d, int resolution)
    {
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(d);
        if (ks.Count != Slots || e.Count != Slots || d.Count != Stages)
            throw new ArgumentException($"a subnet has {Slots} kernel sizes, {Slots} expand ratios and {Stages} depths; got {ks.Count}, {e.Count}, {d.Count}");
        _ks = new byte[Slots];
        _e = new byte[Slots];
        _d = new byte[Stages];
        for (int i = 0; i < Slots; i++)
        {
            if (!KernelSizes.Contains(ks[i])) throw new ArgumentException($"kernel size {ks[i]} of slot {i} is not one of 3, 5, 7");
            if (!ExpandRatios.Contains(e[i])) throw new ArgumentException($"expand ratio {e[i]} of slot {i} is not one of 3, 4, 6");
            _ks[i] = (byte)ks[i];
            _e[i] = (byte)e[i];
        }
        for (int s = 0; s < Stages; s++)
        {
            if (!Depths.Contains(d[s])) throw new ArgumentException($"depth {d[s]} of stage {s} is not one of 2, 3, 4");
            _d[s] = (byte)d[s];
        }
        if (resolution is < 32 or > 1024) throw new ArgumentException($"resolution {resolution} is outside 32..1024");
        Resolution = resolution;
        var hash = new HashCode();
        hash.AddBytes(_ks);
        hash.AddBytes(_e);
        hash.AddBytes(_d);
        hash.Add(resolution);
        _hash = hash.ToHashCode();
    }

    public int Resolution { get; }

    public int KernelSize(int slot) => _ks[slot];

    public int ExpandRatio(int slot) => _e[slot];

    public int Depth(int stage) => _d[stage];

    /// <summary>Whether slot <paramref name="slot"/> is one of its stage's first d blocks.</summary>
    public bool IsActive(int slot) => slot % SlotsPerStage < _d[slot / SlotsPerStage];

    /// <summary>Blocks in use: the sum of the depths.</summary>
    public int ActiveBlocks => _d[0] + _d[1] + _d[2] + _d[3] + _d[4];

    public int[] KernelSizeList() => [.. _ks.Select(b => (int)b)];

    public int[] ExpandRatioList() => [.. _e.Select(b => (int)b)];

    public int[] DepthList() => [.. _d.Select(b => (int)b)];

    /// <summary>The same subnet with one value changed.</summary>
    public OfaSubnet With(int[]? ks = null, int[]? e = null, int[]? d = null, int? resolution = null) =>
        new(ks ?? KernelSizeList(), e ?? ExpandRatioList(), d ?? DepthList(), resolution ?? Resolution);

    public bool Equals(OfaSubnet? other) =>
        other is not null && _hash == other._hash && Resolution == other.Resolution
        && _ks.AsSpan().SequenceEqual(other._ks) && _e.AsSpan().SequenceEqual(other._e) && _d.AsSpan().SequenceEqual(other._d);

    public override bool Equals(object? obj) => Equals(obj as OfaSubnet);

    public override int GetHashCode() => _hash;

    public override string ToString() => OfaMobileNetV3Space.FormatJson(this);
}
