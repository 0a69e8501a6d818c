namespace WeakNas.Strategies;

/// <summary>
/// The random streams strategies derive from their seed, by name. A stream id plus the number of architectures told
/// gives the stream of one decision, so a strategy rebuilt from history draws the same numbers. The values are part
/// of every published run: changing one changes the runs.
/// </summary>
internal static class RandomStreams
{
    /// <summary>WeakNAS's initial M0 draw (the stream itself, not offset by the count told).</summary>
    public const ulong Initial = 0;

    /// <summary>Predictor fits: one stream per training-set size (ensemble members add their number).</summary>
    public const ulong Fit = 1_000_000;

    /// <summary>WeakNAS's draw from the predicted top-N (and the EI variant's tie noise).</summary>
    public const ulong Exploit = 2_000_000;

    /// <summary>WeakNAS's exploration draws from outside the top-N.</summary>
    public const ulong Explore = 3_000_000;

    /// <summary>WeakNAS's random draws when every architecture so far failed.</summary>
    public const ulong AllFailed = 5_000_000_000;

    /// <summary>Fresh candidates of an open space (uniform samples and mutations), per iteration.</summary>
    public const ulong FreshCandidates = 7_000_000_000;

    /// <summary>Random search's draws in an open space.</summary>
    public const ulong OpenRandom = 9_000_000_000;
}
