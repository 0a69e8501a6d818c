namespace WeakNas.Spaces.Darts;

/// <summary>
/// The operations on a DARTS cell's edges, numbered as NASLib's compact form and NAS-Bench-301 number them (0 to 6);
/// <see cref="None"/> (DARTS's zero operation) comes last, as the eighth choice of a space that admits it.
/// </summary>
public enum DartsOp : byte
{
    MaxPool3x3 = 0,
    AvgPool3x3 = 1,
    SkipConnect = 2,
    SepConv3x3 = 3,
    SepConv5x5 = 4,
    DilConv3x3 = 5,
    DilConv5x5 = 6,
    None = 7,
}

/// <summary>DARTS's names of the operations (its PRIMITIVES), and back.</summary>
public static class DartsOps
{
    /// <summary>The seven operations NAS-Bench-301 and NASLib search, in their order.</summary>
    public static IReadOnlyList<DartsOp> Searched { get; } =
        [DartsOp.MaxPool3x3, DartsOp.AvgPool3x3, DartsOp.SkipConnect, DartsOp.SepConv3x3, DartsOp.SepConv5x5, DartsOp.DilConv3x3, DartsOp.DilConv5x5];

    private static readonly string[] Names = ["max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5", "none"];

    public static string Name(this DartsOp op) => Names[(int)op];

    /// <summary>The operation of that DARTS name, or null.</summary>
    public static DartsOp? Find(string name)
    {
        int i = Array.IndexOf(Names, name);
        return i < 0 ? null : (DartsOp)i;
    }

    /// <summary>Every name, for messages.</summary>
    public static string AllNames => string.Join(", ", Names);
}
