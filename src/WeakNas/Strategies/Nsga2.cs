using WeakNas.MultiObjective;
using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// NSGA-II-style evolution (Deb et al., 2002) over accuracy and table costs: a first population of μ random
/// architectures; then generations of λ children, each a one-decision mutation (the space's <c>Mutate</c>) of a parent
/// chosen by binary tournament (lower non-dominated rank wins, then larger crowding distance, then the first drawn);
/// elitist (μ + λ) survival keeps the μ best of parents and children by rank, then crowding distance. Defaults μ = 50,
/// λ = 10: a population large enough to hold a front of NAS-Bench-201's size, and small generations, so the search
/// reacts every 10 queries. There is no crossover: a NAS-Bench-201 cell has only six decisions and the mutation is the
/// space's own, as in the single-objective regularized evolution. A child already evaluated (or drawn earlier in the same
/// batch) is redrawn; after many failures a random unevaluated architecture is taken.
/// <para>
/// The state is rebuilt from the told sequence: the first μ told are the first population, each next λ one generation,
/// so replaying the history gives the same population. An architecture excluded (failed) joins no population.
/// </para>
/// </summary>
public sealed class Nsga2<TArch> : ISearchStrategy where TArch : notnull, IEquatable<TArch>
{
    private const int MaxAttempts = 1000;
    private readonly IEnumerableSearchSpace<TArch> _space;
    private readonly MultiObjectiveProblem _problem;
    private readonly ulong _seed;
    private readonly int _population;
    private readonly int _offspring;
    private readonly Func<int, bool>? _admissible;
    private readonly HashSet<int> _told = [];
    private readonly List<(int Index, double Accuracy)> _history = [];
    private List<(int Index, double Accuracy)> _current = [];
    private int _merged;

    /// <param name="admissible">Which architectures may be proposed (a constraint), beyond the problem's own; null for the problem's.</param>
    public Nsga2(IEnumerableSearchSpace<TArch> space, MultiObjectiveProblem problem, ulong seed, int population = 50, int offspring = 10, Func<int, bool>? admissible = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(problem);
        if (space.Count != problem.Count) throw new ArgumentException($"space of {space.Count} architectures, problem of {problem.Count}", nameof(problem));
        if (population < 2) throw new InvalidInputException($"NSGA-II population must be at least 2, got {population}");
        if (offspring <= 0) throw new InvalidInputException($"NSGA-II children per generation must be positive, got {offspring}");
        _space = space;
        _problem = problem;
        _seed = seed;
        _population = population;
        _offspring = offspring;
        _admissible = admissible;
    }

    public string Name => "nsga2";

    /// <summary>The current population (architecture indices), after the last complete generation told.</summary>
    public IReadOnlyList<int> Population
    {
        get
        {
            Advance();
            return _current.Select(m => m.Index).ToList();
        }
    }

    private bool Admissible(int index) => _problem.IsAdmissible(index) && (_admissible == null || _admissible(index));

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var rng = Rng.Derive(_seed, (ulong)_told.Count);
        var batch = new List<int>();
        if (_history.Count < _population)
        {
            int want = Math.Min(maxCount, _population - _history.Count);
            while (batch.Count < want && UnseenRandom(rng, batch) is int random) batch.Add(random);
            return batch;
        }
        Advance();
        var points = _current.Select(m => _problem.Point(m.Index, m.Accuracy)).ToList();
        var (rank, crowding) = RankAndCrowding(points);
        int children = Math.Min(maxCount, _offspring - (_history.Count - _population) % _offspring);
        while (batch.Count < children)
        {
            int? child = null;
            for (int attempt = 0; attempt < MaxAttempts && child == null; attempt++)
            {
                int parent = _current[Tournament(rng, rank, crowding)].Index;
                int candidate = _space.IndexOf(_space.Mutate(_space[parent], rng));
                if (!_told.Contains(candidate) && !batch.Contains(candidate) && Admissible(candidate)) child = candidate;
            }
            child ??= UnseenRandom(rng, batch);
            if (child == null) break;
            batch.Add(child.Value);
        }
        return batch;
    }

    public void Exclude(int index) => _told.Add(index);

    public void Tell(int index, double searchAccuracy)
    {
        if (_told.Add(index)) _history.Add((index, searchAccuracy));
    }

    /// <summary>Brings the population up to date with every complete generation told: elitist (μ + λ) survival per generation.</summary>
    private void Advance()
    {
        if (_merged == 0 && _history.Count >= _population)
        {
            _current = _history.Take(_population).ToList();
            _merged = _population;
        }
        while (_merged > 0 && _merged + _offspring <= _history.Count)
        {
            var pool = _current.Concat(_history.Skip(_merged).Take(_offspring)).ToList();
            var (rank, crowding) = RankAndCrowding(pool.Select(m => _problem.Point(m.Index, m.Accuracy)).ToList());
            var order = Enumerable.Range(0, pool.Count).ToArray();
            Array.Sort(order, (a, b) => Better(a, b, rank, crowding) ? -1 : Better(b, a, rank, crowding) ? 1 : a.CompareTo(b));
            _current = order.Take(_population).Select(i => pool[i]).ToList();
            _merged += _offspring;
        }
    }

    /// <summary>NSGA-II's crowded comparison: lower rank, then larger crowding distance.</summary>
    private static bool Better(int a, int b, int[] rank, double[] crowding) =>
        rank[a] < rank[b] || (rank[a] == rank[b] && crowding[a] > crowding[b]);

    private static (int[] Rank, double[] Crowding) RankAndCrowding(List<double[]> points)
    {
        var rank = new int[points.Count];
        var crowding = new double[points.Count];
        var layers = Pareto.Sort(points);
        for (int r = 0; r < layers.Count; r++)
        {
            var distance = Pareto.CrowdingDistance(points, layers[r]);
            for (int i = 0; i < layers[r].Length; i++)
            {
                rank[layers[r][i]] = r;
                crowding[layers[r][i]] = distance[i];
            }
        }
        return (rank, crowding);
    }

    /// <summary>Binary tournament: two distinct members at random, the better by the crowded comparison (the first on a tie).</summary>
    private int Tournament(Rng rng, int[] rank, double[] crowding)
    {
        int a = rng.NextInt(_current.Count);
        int b = rng.NextInt(_current.Count - 1);
        if (b >= a) b++;
        return Better(b, a, rank, crowding) ? b : a;
    }

    /// <summary>A uniformly drawn admissible architecture neither told nor in <paramref name="batch"/>, or null when none is left.</summary>
    private int? UnseenRandom(Rng rng, List<int> batch)
    {
        for (int attempt = 0; attempt < 20 * MaxAttempts; attempt++)
        {
            int candidate = _space.IndexOf(_space.Sample(rng));
            if (!_told.Contains(candidate) && !batch.Contains(candidate) && Admissible(candidate)) return candidate;
        }
        var left = Enumerable.Range(0, _space.Count).Where(i => !_told.Contains(i) && !batch.Contains(i) && Admissible(i)).ToArray();
        return left.Length == 0 ? null : left[rng.NextInt(left.Length)];
    }
}
