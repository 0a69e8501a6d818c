using System.Globalization;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
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
    private protected StudySpace(string name, int? size)
    {
        Name = name;
        Size = size;
    }

    public static IReadOnlyList<string> Names { get; } = ["nb201"];

    public string Name { get; }

    /// <summary>How many architectures there are when the space is listed; null for an open space.</summary>
    public int? Size { get; }

    /// <summary>The standard text of an architecture given in any accepted text form; an <see cref="InvalidInputException"/> if malformed.</summary>
    public abstract string Normalize(string text);

    /// <summary>A strategy over a fresh catalogue, to be told the study's history.</summary>
    /// <param name="constraint">Null for an unconstrained strategy; else it proposes only what the constraint admits.</param>
    public abstract StudySearch Search(string strategy, ulong seed, WeakNasOptions weakNas, ConstraintRun? constraint = null);

    private static readonly Lazy<StudySpace> NasBench201 = new(() =>
    {
        var space = NasBench201Space.Instance;
        return new Typed<NasBench201Cell>("nb201", space, ArchitectureCatalogue<NasBench201Cell>.Listed(space),
            (_, name, seed, options, constraint) => StrategyFactory.Create(name, space, NasBench201Setup.Encodings, seed, options, constraint: constraint));
    });

    public static StudySpace Get(string name) => name switch
    {
        "nb201" => NasBench201.Value,
        _ => throw new InvalidInputException($"studies support the spaces {string.Join(", ", Names)} or a declaration file (.json, .yaml); got '{name}'"),
    };

    /// <summary>The space a study searches: a built-in one by name, or its declared space (its pool, or the whole space).</summary>
    public static StudySpace Get(StudySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Declaration == null) return Get(spec.Space);
        string key = string.Create(CultureInfo.InvariantCulture, $"{spec.Pool}\n{spec.PoolSeed ?? 0}\n{spec.Fresh?.ToJson()}\n{spec.Declaration}");
        return Declared.GetOrAdd(key, _ => new Lazy<StudySpace>(() => FromDeclaration(spec))).Value;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<StudySpace>> Declared = new(StringComparer.Ordinal);

    private static StudySpace FromDeclaration(StudySpec spec)
    {
        var declared = DeclaredSpaceFile.Parse(spec.Declaration!, $"study '{spec.Name}' declaration");
        if (spec.Pool is not int size)
        {
            // Open: every strategy gets its own catalogue; WeakNAS ranks fresh candidates each iteration.
            var encoding = ArchitectureEncoding<DeclaredArchitecture>.Own(declared);
            var fresh = spec.Fresh?.ToOptions();
            return new Typed<DeclaredArchitecture>(declared.Name, declared, null,
                (catalogue, name, seed, options, _) => StrategyFactory.Create(name, catalogue, encoding, seed, options, fresh: fresh));
        }
        var pool = new TableSpace<DeclaredArchitecture>(declared, declared.Pool(size, spec.PoolSeed ?? 0));
        var encodings = SpaceEncodings.Own(pool);
        return new Typed<DeclaredArchitecture>(declared.Name, pool, ArchitectureCatalogue<DeclaredArchitecture>.Listed(pool),
            (_, name, seed, options, constraint) => StrategyFactory.Create(name, pool, encodings, seed, options, constraint: constraint));
    }

    /// <summary>
    /// A space of one architecture type. A listed space's catalogue (handle = index) is shared; an open space gets a new
    /// catalogue per strategy, which the factory receives.
    /// </summary>
    private sealed class Typed<TArch>(
        string name, ISearchSpace<TArch> space, ArchitectureCatalogue<TArch>? listed,
        Func<ArchitectureCatalogue<TArch>, string, ulong, WeakNasOptions, ConstraintRun?, ISearchStrategy> create)
        : StudySpace(name, listed?.Size) where TArch : notnull, IEquatable<TArch>
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
