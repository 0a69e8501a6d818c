using WeakNas.Numerics;

namespace WeakNas.Strategies;

/// <summary>
/// Every architecture of a listed space is a candidate at every iteration: handle = index = row of the space's feature
/// matrix (the paper's NAS-Bench setting).
/// </summary>
public sealed class ListedCandidates : ICandidateSource
{
    private readonly float[] _encoded;
    private readonly int _count;

    /// <param name="encodedSpace">Every architecture's features, row i for index i.</param>
    public ListedCandidates(float[] encodedSpace, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(encodedSpace);
        if (featureCount <= 0 || encodedSpace.Length % featureCount != 0)
            throw new ArgumentException($"encoded space of {encodedSpace.Length} values is not rows × {featureCount}", nameof(encodedSpace));
        _encoded = encodedSpace;
        FeatureCount = featureCount;
        _count = encodedSpace.Length / featureCount;
    }

    public int FeatureCount { get; }

    public int? Size => _count;

    public float[] Features(IReadOnlyList<int> handles)
    {
        int f = FeatureCount;
        var features = new float[handles.Count * f];
        for (int i = 0; i < handles.Count; i++)
        {
            if ((uint)handles[i] >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(handles), handles[i], $"index outside 0..{_count - 1}");
            _encoded.AsSpan(handles[i] * f, f).CopyTo(features.AsSpan(i * f));
        }
        return features;
    }

    public IReadOnlyList<int> Initial(int count, ulong seed, Func<int, bool>? admissible)
    {
        var pool = admissible == null ? Enumerable.Range(0, _count).ToArray() : Enumerable.Range(0, _count).Where(admissible).ToArray();
        return Rng.Derive(seed, RandomStreams.Initial).Choose(pool, Math.Min(count, pool.Length));
    }

    public IReadOnlyList<int> Random(int count, Rng rng, Func<int, bool> eligible)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var left = Enumerable.Range(0, _count).Where(eligible).ToArray();
        return rng.Choose(left, Math.Min(count, left.Length));
    }

    public CandidateSet Candidates(CandidateRequest request) => new(null, _encoded, FeatureCount);
}
