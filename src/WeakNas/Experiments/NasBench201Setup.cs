using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Experiments;

/// <summary>NAS-Bench-201's encodings: one-hot ops for WeakNAS (as the paper), the path encoding for BANANAS.</summary>
public static class NasBench201Setup
{
    public static SpaceEncodings Encodings { get; } = SpaceEncodings.Of(NasBench201Provider.Instance);
}
