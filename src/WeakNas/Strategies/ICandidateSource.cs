namespace WeakNas.Strategies;

/// <summary>Predicts a block of feature rows (row-major, one prediction per row).</summary>
public delegate void PredictRows(ReadOnlySpan<float> rows, Span<float> predictions);

/// <summary>
/// What WeakNAS ranks at each iteration: the whole of a listed space (or of a pool drawn once, which is a listed space
/// of its own), or fresh candidates drawn every iteration from a space too large to list. Architectures are handles of
/// one catalogue; the source encodes what it hands out, so no strategy needs a whole-space matrix.
/// </summary>
public interface ICandidateSource
{
    /// <summary>Length of one candidate's feature row.</summary>
    int FeatureCount { get; }

    /// <summary>How many architectures there are in all when the source lists a space; null for fresh candidates.</summary>
    int? Size { get; }

    /// <summary>The feature rows of <paramref name="handles"/>, in order.</summary>
    float[] Features(IReadOnlyList<int> handles);

    /// <summary>
    /// The initial draw: <paramref name="count"/> distinct architectures (fewer when there are not so many), the same
    /// for the same seed and predicate.
    /// </summary>
    IReadOnlyList<int> Initial(int count, ulong seed, Func<int, bool>? admissible);

    /// <summary>Up to <paramref name="count"/> distinct eligible architectures drawn uniformly with <paramref name="rng"/>.</summary>
    IReadOnlyList<int> Random(int count, Numerics.Rng rng, Func<int, bool> eligible);

    /// <summary>The candidates of one iteration, in a deterministic order, with their features.</summary>
    CandidateSet Candidates(CandidateRequest request);
}

/// <summary>
/// One iteration's candidates: positions 0..Count-1 with their handles (null when position = handle, a listed space)
/// and feature rows.
/// </summary>
public sealed class CandidateSet(int[]? handles, float[] features, int featureCount)
{
    public int Count { get; } = features.Length / featureCount;

    public float[] Features { get; } = features;

    public int Handle(int position) => handles == null ? position : handles[position];
}

/// <summary>What a source may use to make an iteration's candidates: the history, who is eligible, and the predictor.</summary>
/// <param name="Told">Handles evaluated so far, in the order told.</param>
/// <param name="Accuracies">Their search metric, same order.</param>
/// <param name="Eligible">Whether a handle may be proposed (not told, admissible).</param>
/// <param name="Predict">The iteration's fitted predictor.</param>
public sealed record CandidateRequest(IReadOnlyList<int> Told, IReadOnlyList<float> Accuracies, Func<int, bool> Eligible, ulong Seed, PredictRows Predict);
