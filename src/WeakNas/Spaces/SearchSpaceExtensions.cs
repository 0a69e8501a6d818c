namespace WeakNas.Spaces;

public static class SearchSpaceExtensions
{
    /// <summary>Every architecture's feature vector, row i for index i (Count × EncodingLength, row-major).</summary>
    public static float[] EncodeAll<TArch>(this IEnumerableSearchSpace<TArch> space) where TArch : notnull, IEquatable<TArch>
    {
        int width = space.EncodingLength;
        var encoded = new float[space.Count * width];
        for (int i = 0; i < space.Count; i++) space.Encode(space[i], encoded.AsSpan(i * width, width));
        return encoded;
    }
}
