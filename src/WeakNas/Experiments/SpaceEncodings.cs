using WeakNas.Spaces;

namespace WeakNas.Experiments;

/// <summary>
/// Feature matrices of every architecture of an enumerable space (row i for index i): the predictor encoding
/// WeakNAS uses and the path encoding BANANAS uses. Built once per space and shared by all runs.
/// </summary>
public sealed class SpaceEncodings(Func<float[]> predictor, int predictorLength, Func<float[]> path, int pathLength)
{
    private readonly Lazy<float[]> _predictor = new(predictor);
    private readonly Lazy<float[]> _path = new(path);

    public float[] Predictor => _predictor.Value;
    public int PredictorLength { get; } = predictorLength;
    public float[] Path => _path.Value;
    public int PathLength { get; } = pathLength;

    /// <summary>The matrices of a listed space's predictor and path encodings, from its provider.</summary>
    public static SpaceEncodings Of<TArch>(IListedSpaceProvider<TArch> provider) where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new SpaceEncodings(() => provider.Predictor.ListedRows(provider.Space), provider.Predictor.Length,
            () => provider.Path.ListedRows(provider.Space), provider.Path.Length);
    }

    /// <summary>The space's own encoding for both the predictor and BANANAS: for spaces without a path encoding (declared spaces, tables).</summary>
    public static SpaceEncodings Own<TArch>(IEnumerableSearchSpace<TArch> space) where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(space);
        return new SpaceEncodings(space.EncodeAll, space.EncodingLength, space.EncodeAll, space.EncodingLength);
    }
}
