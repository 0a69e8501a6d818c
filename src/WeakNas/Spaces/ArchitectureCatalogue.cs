namespace WeakNas.Spaces;

/// <summary>
/// Hands out integer handles for the architectures of a space, so that strategies keep cheap ids and sets of them
/// instead of architectures. A listed space's handles are its indices 0..Count-1 (so every NAS-Bench run keeps its
/// row numbers); an open space's handles are handed out as architectures are met, one per canonical key, so two
/// architectures that compute the same function share a handle and a strategy never proposes both. Handles are
/// private to one catalogue: a strategy rebuilt from history may number the same architectures differently, so no
/// decision may depend on a handle's value except through <see cref="CompareTies"/>.
/// </summary>
public abstract class ArchitectureCatalogue<TArch> where TArch : notnull, IEquatable<TArch>
{
    private protected ArchitectureCatalogue(ISearchSpace<TArch> space)
    {
        Space = space ?? throw new ArgumentNullException(nameof(space));
    }

    public ISearchSpace<TArch> Space { get; }

    /// <summary>How many architectures a listed space holds (handles 0..Size-1 are all of them); null for an open space.</summary>
    public abstract int? Size { get; }

    /// <summary>The architecture behind a handle this catalogue handed out.</summary>
    public abstract TArch this[int handle] { get; }

    /// <summary>The handle of an architecture, handed out now if it is new to an open catalogue.</summary>
    public abstract int HandleOf(TArch arch);

    /// <summary>
    /// Orders two handles for breaking ties between equally good architectures, the same way in every process: by index
    /// in a listed space, by canonical key in an open one.
    /// </summary>
    public abstract int CompareTies(int a, int b);

    /// <summary>
    /// Up to <paramref name="count"/> distinct handles of uniform samples that <paramref name="keep"/> accepts, in the order
    /// drawn; fewer when <paramref name="attemptsPerSample"/> × <paramref name="count"/> draws do not find so many (a space,
    /// or what is left of it, too small).
    /// </summary>
    public List<int> Draw(int count, Numerics.Rng rng, Func<int, bool> keep, int attemptsPerSample = 50)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(keep);
        var seen = new HashSet<int>();
        var drawn = new List<int>(count);
        for (long attempt = 0; drawn.Count < count && attempt < (long)attemptsPerSample * count; attempt++)
        {
            int handle = HandleOf(Space.Sample(rng));
            if (keep(handle) && seen.Add(handle)) drawn.Add(handle);
        }
        return drawn;
    }

    /// <summary>The catalogue of a listed space: handle = index.</summary>
    public static ArchitectureCatalogue<TArch> Listed(IEnumerableSearchSpace<TArch> space) => new ListedCatalogue<TArch>(space);

    /// <summary>An open catalogue over any space, keyed by canonical key.</summary>
    public static ArchitectureCatalogue<TArch> Open(ISearchSpace<TArch> space) => new OpenCatalogue<TArch>(space);
}

internal sealed class ListedCatalogue<TArch>(IEnumerableSearchSpace<TArch> space) : ArchitectureCatalogue<TArch>(space)
    where TArch : notnull, IEquatable<TArch>
{
    public override int? Size => space.Count;

    public override TArch this[int handle] => space[handle];

    public override int HandleOf(TArch arch) => space.IndexOf(arch);

    public override int CompareTies(int a, int b) => a.CompareTo(b);
}

internal sealed class OpenCatalogue<TArch>(ISearchSpace<TArch> space) : ArchitectureCatalogue<TArch>(space)
    where TArch : notnull, IEquatable<TArch>
{
    private readonly List<TArch> _architectures = [];
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, int> _handles = new(StringComparer.Ordinal);

    public override int? Size => null;

    public override TArch this[int handle] => _architectures[handle];

    public override int HandleOf(TArch arch)
    {
        string key = Space.CanonicalKey(arch);
        if (_handles.TryGetValue(key, out int handle)) return handle;
        handle = _architectures.Count;
        _architectures.Add(arch);
        _keys.Add(key);
        _handles.Add(key, handle);
        return handle;
    }

    public override int CompareTies(int a, int b) => string.CompareOrdinal(_keys[a], _keys[b]);
}
