using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// Fresh candidates every iteration, for a space too large to list (once-for-all's 10^19 subnets, DARTS, a user's
/// declared network): uniform samples, plus mutations of the best architectures evaluated, plus mutations of the
/// best the iteration's predictor ranks among those (a second, local round around the predicted optimum). Everything
/// is drawn from a stream derived from the seed and the number told, so a strategy rebuilt from history makes the same
/// candidates. Features are encoded on demand; only the evaluated architectures' rows are kept.
/// </summary>
public sealed class FreshCandidates<TArch> : ICandidateSource where TArch : notnull, IEquatable<TArch>
{
    // Tries per wanted sample before the space is taken to be (nearly) exhausted.
    private const int AttemptsPerSample = 50;

    private readonly ArchitectureCatalogue<TArch> _catalogue;
    private readonly ArchitectureEncoding<TArch> _encoding;
    private readonly FreshCandidateOptions _options;
    private readonly Dictionary<int, float[]> _told = [];

    public FreshCandidates(ArchitectureCatalogue<TArch> catalogue, ArchitectureEncoding<TArch> encoding, FreshCandidateOptions? options = null)
    {
        _catalogue = catalogue ?? throw new ArgumentNullException(nameof(catalogue));
        _encoding = encoding ?? throw new ArgumentNullException(nameof(encoding));
        _options = options ?? new FreshCandidateOptions();
        _options.Validate();
    }

    public int FeatureCount => _encoding.Length;

    public int? Size => null;

    public float[] Features(IReadOnlyList<int> handles)
    {
        int f = FeatureCount;
        var features = new float[handles.Count * f];
        for (int i = 0; i < handles.Count; i++)
        {
            if (!_told.TryGetValue(handles[i], out var row))
            {
                row = new float[f];
                _encoding.Encode(_catalogue[handles[i]], row);
                _told.Add(handles[i], row);
            }
            row.CopyTo(features.AsSpan(i * f));
        }
        return features;
    }

    public IReadOnlyList<int> Initial(int count, ulong seed, Func<int, bool>? admissible) =>
        Random(count, Rng.Derive(seed, RandomStreams.Initial), admissible ?? (_ => true));

    public IReadOnlyList<int> Random(int count, Rng rng, Func<int, bool> eligible) => _catalogue.Draw(count, rng, eligible, AttemptsPerSample);

    public CandidateSet Candidates(CandidateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rng = Rng.Derive(request.Seed, RandomStreams.FreshCandidates + (ulong)request.Told.Count);
        var seen = new HashSet<int>();
        var handles = new List<int>(_options.Total);
        void Add(int handle)
        {
            if (request.Eligible(handle) && seen.Add(handle)) handles.Add(handle);
        }

        for (long attempt = 0, wanted = _options.Uniform; handles.Count < wanted && attempt < AttemptsPerSample * wanted; attempt++)
            Add(_catalogue.HandleOf(_catalogue.Space.Sample(rng)));

        // Best evaluated first; equal results in the order told.
        var bestTold = Enumerable.Range(0, request.Told.Count)
            .OrderByDescending(i => request.Accuracies[i]).ThenBy(i => i)
            .Take(_options.Parents).Select(i => request.Told[i]).ToArray();
        MutateEach(bestTold, rng, Add);

        var first = _encoding.Rows(_catalogue, handles);
        if (_options.Parents > 0 && handles.Count > 0)
        {
            var predictions = new float[handles.Count];
            request.Predict(first, predictions);
            var order = Enumerable.Range(0, handles.Count).ToArray();
            Array.Sort(order, (a, b) =>
            {
                int c = predictions[b].CompareTo(predictions[a]);
                return c != 0 ? c : a.CompareTo(b);
            });
            var bestPredicted = order.Take(_options.Parents).Select(p => handles[p]).ToArray();
            int before = handles.Count;
            MutateEach(bestPredicted, rng, Add);
            if (handles.Count > before)
            {
                var more = _encoding.Rows(_catalogue, handles.GetRange(before, handles.Count - before));
                var all = new float[handles.Count * FeatureCount];
                first.CopyTo(all, 0);
                more.CopyTo(all, first.Length);
                first = all;
            }
        }
        return new CandidateSet([.. handles], first, FeatureCount);
    }

    private void MutateEach(IReadOnlyList<int> parents, Rng rng, Action<int> add)
    {
        foreach (int parent in parents)
        {
            for (int j = 0; j < _options.MutationsPerParent; j++)
            {
                var arch = _catalogue[parent];
                int edits = 1 + j % _options.MaxEdits;
                for (int e = 0; e < edits; e++) arch = _catalogue.Space.Mutate(arch, rng);
                add(_catalogue.HandleOf(arch));
            }
        }
    }
}
