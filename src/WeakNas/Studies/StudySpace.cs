using WeakNas.Spaces.Darts;
using System.Globalization;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
using WeakNas.Spaces.MobileNetV3;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Studies;

/// <summary>
/// A search space as studies use it: architectures by their text form, and strategies over them. A listed space
/// (NAS-Bench-201, a declared space's pool) gives every architecture an index; an open one (a declared space searched
/// with fresh candidates) does not, and a study over it is keyed by text alone.
/// </summary>
public abstract class StudySpace
{
    private protected StudySpace(ISpaceProvider provider, int? size)
    {
        Provider = provider;
        Size = size;
    }

    /// <summary>The built-in spaces studies can search by name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. SpaceRegistry.All.Where(p => p.HasStudies).Select(p => p.Name)];

    /// <summary>What the project knows about the space: its text form, what a training command receives.</summary>
    public ISpaceProvider Provider { get; }

    public string Name => Provider.Name;

    /// <summary>How many architectures there are when the space is listed; null for an open space.</summary>
    public int? Size { get; }

    /// <summary>The standard text of an architecture given in any accepted text form; an <see cref="InvalidInputException"/> if malformed.</summary>
    public abstract string Normalize(string text);

    /// <summary>A strategy over a fresh catalogue, to be told the study's history.</summary>
    /// <param name="constraint">Null for an unconstrained strategy; else it proposes only what the constraint admits.</param>
    public abstract StudySearch Search(string strategy, ulong seed, WeakNasOptions weakNas, ConstraintRun? constraint = null);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<StudySpace>> BuiltIn = new(StringComparer.Ordinal);

    /// <summary>A built-in space by name (one its provider lists whole, so studies can search it without a table).</summary>
    public static StudySpace Get(string name)
    {
        if (SpaceRegistry.Find(name) is not { HasStudies: true } provider)
            throw new InvalidInputException($"studies support the spaces {string.Join(", ", Names)} or a declaration file (.json, .yaml); got '{name}'");
        if (provider is OfaMobileNetV3Provider) return Ofa(OfaStudySettings.PaperPool);
        if (provider is DartsProvider darts) return Darts(darts, DefaultDartsPool, 0);
        return BuiltIn.GetOrAdd(name, _ => new Lazy<StudySpace>(() => provider.Accept(new ListedBuilder()))).Value;
    }

    /// <summary>The study space of a provider that lists its whole space: handle = index, strategies over its encodings.</summary>
    private sealed class ListedBuilder : ISpaceVisitor<StudySpace>
    {
        public StudySpace Visit<TArch>(ISpaceProvider<TArch> provider) where TArch : notnull, IEquatable<TArch>
        {
            if (provider is not IListedSpaceProvider<TArch> listed) throw new InvalidOperationException($"{provider.Name} does not list its space");
            var space = listed.Space;
            var encodings = SpaceEncodings.Of(listed);
            return new Typed<TArch>(provider, space, ArchitectureCatalogue<TArch>.Listed(space),
                (_, name, seed, options, constraint) => StrategyFactory.Create(name, space, encodings, seed, options, constraint: constraint));
        }
    }

    /// <summary>The space a study searches: a built-in one by name, or its declared space (its pool, or the whole space).</summary>
    public static StudySpace Get(StudySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Space == OfaMobileNetV3Provider.Instance.Name && spec.Declaration == null)
            return Ofa(spec.Ofa ?? OfaStudySettings.PaperPool);
        if (spec.Declaration == null && DartsProvider.Find(spec.Space) is { } dartsProvider) return Darts(dartsProvider, spec.Pool, spec.PoolSeed ?? 0, spec.Fresh, spec.SpaceConstraints);
        if (spec.Declaration == null) return Get(spec.Space);
        string key = string.Create(CultureInfo.InvariantCulture, $"{spec.Pool}\n{spec.PoolSeed ?? 0}\n{spec.Fresh?.ToJson()}\n{spec.Declaration}");
        return Declared.GetOrAdd(key, _ => new Lazy<StudySpace>(() => FromDeclaration(spec))).Value;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<StudySpace>> Declared = new(StringComparer.Ordinal);

    /// <summary>
    /// A once-for-all MobileNetV3 study: its pool (the paper's procedure, listed, handle = pool index) or the whole
    /// constrained space with fresh candidates; the user's command evaluates (no predictor is read).
    /// </summary>
    private static StudySpace Ofa(OfaStudySettings settings)
    {
        string key = System.Text.Json.JsonSerializer.Serialize(settings);
        return Declared.GetOrAdd("ofa\n" + key, _ => new Lazy<StudySpace>(() =>
        {
            var search = new OfaSearch(settings.ToSearchSettings(), predictor: null);
            var provider = OfaMobileNetV3Provider.Instance;
            if (settings.Pool == null)
            {
                var encoding = ArchitectureEncoding<OfaSubnet>.Own(search.Searched);
                var fresh = settings.Fresh?.ToOptions();
                return new Typed<OfaSubnet>(provider, search.Searched, null,
                    (catalogue, name, seed, options, _) => StrategyFactory.Create(name, catalogue, encoding, seed, options, fresh: fresh));
            }
            var pool = search.Pool;
            var encodings = SpaceEncodings.Own(pool);
            return new Typed<OfaSubnet>(provider, pool, ArchitectureCatalogue<OfaSubnet>.Listed(pool),
                (_, name, seed, options, constraint) => StrategyFactory.Create(name, pool, encodings, seed, options, constraint: constraint));
        })).Value;
    }

    /// <summary>The pool a DARTS study searches unless it says otherwise (as a declared space's).</summary>
    public const int DefaultDartsPool = 10_000;

    /// <summary>
    /// A DARTS study: a pool of <paramref name="pool"/> distinct networks drawn from <paramref name="poolSeed"/> (listed,
    /// handle = pool index), or with no pool the whole space, WeakNAS ranking fresh candidates each iteration. The
    /// predictor reads the adjacency one-hot, BANANAS the path encoding.
    /// </summary>
    private static StudySpace Darts(DartsProvider provider, int? pool, ulong poolSeed, FreshCandidateSettings? freshSettings = null, string[]? constraints = null)
    {
        string key = string.Create(CultureInfo.InvariantCulture, $"darts\n{provider.Name}\n{pool}\n{poolSeed}\n{freshSettings?.ToJson()}\n{string.Join("&", constraints ?? [])}");
        return Declared.GetOrAdd(key, _ => new Lazy<StudySpace>(() =>
        {
            // Under a parameter constraint the feasible part of the space: its pool, or the fresh candidates, are feasible only.
            ISearchSpace<DartsGenotype> space = constraints == null ? provider.Space : DartsConstraint.Apply(provider.Space, DartsConstraint.Parse(constraints));
            if (pool is not int size)
            {
                var fresh = freshSettings?.ToOptions();
                return new Typed<DartsGenotype>(provider, space, null,
                    (catalogue, name, seed, options, _) => StrategyFactory.Create(name, catalogue, provider.OneHot, seed, options, fresh: fresh, path: provider.Path));
            }
            var listed = new TableSpace<DartsGenotype>(space, DartsSpace.Pool(space, size, poolSeed));
            var encodings = DartsSetup.Encodings(listed);
            return new Typed<DartsGenotype>(provider, listed, ArchitectureCatalogue<DartsGenotype>.Listed(listed),
                (_, name, seed, options, constraint) => StrategyFactory.Create(name, listed, encodings, seed, options, constraint: constraint));
        })).Value;
    }

    private static StudySpace FromDeclaration(StudySpec spec)
    {
        var declared = DeclaredSpaceFile.Parse(spec.Declaration!, $"study '{spec.Name}' declaration");
        if (spec.Pool is not int size)
        {
            // Open: every strategy gets its own catalogue; WeakNAS ranks fresh candidates each iteration.
            var encoding = ArchitectureEncoding<DeclaredArchitecture>.Own(declared);
            var fresh = spec.Fresh?.ToOptions();
            return new Typed<DeclaredArchitecture>(new DeclaredSpaceProvider(declared), declared, null,
                (catalogue, name, seed, options, _) => StrategyFactory.Create(name, catalogue, encoding, seed, options, fresh: fresh));
        }
        var pool = new TableSpace<DeclaredArchitecture>(declared, declared.Pool(size, spec.PoolSeed ?? 0));
        var encodings = SpaceEncodings.Own(pool);
        return new Typed<DeclaredArchitecture>(new DeclaredSpaceProvider(declared), pool, ArchitectureCatalogue<DeclaredArchitecture>.Listed(pool),
            (_, name, seed, options, constraint) => StrategyFactory.Create(name, pool, encodings, seed, options, constraint: constraint));
    }

    /// <summary>
    /// A space of one architecture type. A listed space's catalogue (handle = index) is shared; an open space gets a new
    /// catalogue per strategy, which the factory receives.
    /// </summary>
    private sealed class Typed<TArch>(
        ISpaceProvider provider, ISearchSpace<TArch> space, ArchitectureCatalogue<TArch>? listed,
        Func<ArchitectureCatalogue<TArch>, string, ulong, WeakNasOptions, ConstraintRun?, ISearchStrategy> create)
        : StudySpace(provider, listed?.Size) where TArch : notnull, IEquatable<TArch>
    {
        public override string Normalize(string text) => space.Format(Parse(text));

        private TArch Parse(string text)
        {
            try
            {
                var arch = space.Parse(text);
                if (listed != null) listed.HandleOf(arch);
                return arch;
            }
            catch (FormatException e)
            {
                throw new InvalidInputException($"'{text}': {e.Message}", e);
            }
        }

        public override StudySearch Search(string strategy, ulong seed, WeakNasOptions weakNas, ConstraintRun? constraint = null)
        {
            var catalogue = listed ?? ArchitectureCatalogue<TArch>.Open(space);
            var made = create(catalogue, strategy, seed, weakNas, constraint);
            return new StudySearch(made, text => catalogue.HandleOf(Parse(text)), h => space.Format(catalogue[h]), listed == null ? _ => null : h => h);
        }
    }
}

/// <summary>A strategy of a study with the catalogue it proposes from: architecture text to handle and back.</summary>
public sealed class StudySearch(ISearchStrategy strategy, Func<string, int> handleOf, Func<int, string> format, Func<int, int?> indexOf)
{
    public ISearchStrategy Strategy { get; } = strategy;

    /// <summary>The handle of an architecture given as text (an <see cref="InvalidInputException"/> if malformed or not in a listed space).</summary>
    public int HandleOf(string text) => handleOf(text);

    public string Format(int handle) => format(handle);

    /// <summary>The architecture's index where the space is listed; null in an open space.</summary>
    public int? IndexOf(int handle) => indexOf(handle);
}
