using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Experiments;

/// <summary>NAS-Bench-201's encodings: one-hot ops for WeakNAS (as the paper), the path encoding for BANANAS.</summary>
public static class NasBench201Setup
{
    public static SpaceEncodings Encodings { get; } = new(
        () => SearchSpaceExtensions.EncodeAll(NasBench201Space.Instance), NasBench201Space.Instance.EncodingLength,
        () => NasBench201PathEncoding.EncodeAll(NasBench201Space.Instance), NasBench201PathEncoding.Length);
}
