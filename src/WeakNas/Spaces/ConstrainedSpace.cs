using WeakNas.Numerics;

namespace WeakNas.Spaces;

/// <summary>
/// The feasible part of a space under a constraint (a FLOPs window, a latency budget): sampling is the space's sampling
/// conditioned on feasibility (rejection), a mutation is one of the space's mutations that stays feasible, neighbours are
/// the feasible ones. Every strategy searching it therefore proposes only feasible architectures, without knowing the
/// constraint. Text form, key and encoding are the space's.
/// </summary>
public sealed class ConstrainedSpace<TArch> : ISearchSpace<TArch> where TArch : notnull, IEquatable<TArch>
{
    /// <summary>Samples (or mutations) tried for one feasible result before the constraint is taken to be unsatisfiable here.</summary>
    public const int Attempts = 100_000;

    /// <summary>Mutations tried before a mutation falls back to a random feasible neighbour.</summary>
    public const int MutationAttempts = 200;

    private readonly Func<TArch, bool> _feasible;

    /// <param name="label">The constraint as the user wrote it, for messages.</param>
    public ConstrainedSpace(ISearchSpace<TArch> space, Func<TArch, bool> feasible, string label)
    {
        Over = space ?? throw new ArgumentNullException(nameof(space));
        _feasible = feasible ?? throw new ArgumentNullException(nameof(feasible));
        Label = label;
    }

    public ISearchSpace<TArch> Over { get; }

    public string Label { get; }

    public string Name => Over.Name;

    public bool IsFeasible(TArch arch) => _feasible(arch);

    public TArch Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var arch = Over.Sample(rng);
            if (_feasible(arch)) return arch;
        }
        throw new InvalidInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"no architecture of {Name} in {Attempts:N0} uniform samples satisfies {Label}; loosen the constraint"));
    }

    /// <summary>A feasible mutation; when none is found, a feasible neighbour; when the architecture has none, itself.</summary>
    public TArch Mutate(TArch arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int attempt = 0; attempt < MutationAttempts; attempt++)
        {
            var candidate = Over.Mutate(arch, rng);
            if (_feasible(candidate)) return candidate;
        }
        var neighbours = Neighbours(arch);
        return neighbours.Count > 0 ? neighbours[rng.NextInt(neighbours.Count)] : arch;
    }

    public IReadOnlyList<TArch> Neighbours(TArch arch) => [.. Over.Neighbours(arch).Where(_feasible)];

    public int EncodingLength => Over.EncodingLength;

    public void Encode(TArch arch, Span<float> destination) => Over.Encode(arch, destination);

    public string CanonicalKey(TArch arch) => Over.CanonicalKey(arch);

    public string Format(TArch arch) => Over.Format(arch);

    public TArch Parse(string text) => Over.Parse(text);
}
