using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Studies;

/// <summary>A search space as studies use it: architectures by index, their text form, and strategies over them.</summary>
public sealed class StudySpace
{
    private readonly Func<int, string> _format;
    private readonly Func<string, ulong, WeakNasOptions, ConstraintRun?, ISearchStrategy> _create;

    private StudySpace(string name, int count, Func<int, string> format, Func<string, int> parse, Func<string, ulong, WeakNasOptions, ConstraintRun?, ISearchStrategy> create)
    {
        Name = name;
        Count = count;
        _format = format;
        Parse = parse;
        _create = create;
    }

    public static IReadOnlyList<string> Names { get; } = ["nb201"];

    public string Name { get; }

    public int Count { get; }

    /// <summary>The index of an architecture given in the space's text form; an <see cref="InvalidInputException"/> if malformed.</summary>
    public Func<string, int> Parse { get; }

    public string Format(int index) => _format(index);

    /// <param name="constraint">Null for an unconstrained strategy; else it proposes only what the constraint admits.</param>
    public ISearchStrategy CreateStrategy(string strategy, ulong seed, WeakNasOptions weakNas, ConstraintRun? constraint = null) =>
        _create(strategy, seed, weakNas, constraint);

    private static readonly Lazy<StudySpace> NasBench201 = new(() =>
    {
        var space = NasBench201Space.Instance;
        return new StudySpace("nb201", space.Count, i => space.Format(space[i]), text => space.IndexOf(space.Parse(text)),
            (name, seed, options, constraint) => StrategyFactory.Create(name, space, NasBench201Setup.Encodings, seed, options, constraint: constraint));
    });

    public static StudySpace Get(string name) => name switch
    {
        "nb201" => NasBench201.Value,
        _ => throw new InvalidInputException($"studies support the spaces {string.Join(", ", Names)} or a declaration file (.json, .yaml); got '{name}'"),
    };

    /// <summary>The space a study searches: a built-in one by name, or its declared space's pool.</summary>
    public static StudySpace Get(StudySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Declaration == null) return Get(spec.Space);
        string key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{spec.Pool}\n{spec.PoolSeed ?? 0}\n{spec.Declaration}");
        return Declared.GetOrAdd(key, _ => new Lazy<StudySpace>(() => FromDeclaration(spec))).Value;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<StudySpace>> Declared = new(StringComparer.Ordinal);

    private static StudySpace FromDeclaration(StudySpec spec)
    {
        var declared = DeclaredSpaceFile.Parse(spec.Declaration!, $"study '{spec.Name}' declaration");
        var pool = new TableSpace<DeclaredArchitecture>(declared, declared.Pool(spec.Pool ?? throw new InvalidInputException($"study '{spec.Name}' has a declaration but no pool size"), spec.PoolSeed ?? 0));
        var encodings = SpaceEncodings.Own(pool);
        return new StudySpace(declared.Name, pool.Count, i => pool.Format(pool[i]), text =>
            {
                try
                {
                    return pool.IndexOf(pool.Parse(text));
                }
                catch (FormatException e)
                {
                    throw new InvalidInputException($"'{text}': {e.Message}", e);
                }
            },
            (name, seed, options, constraint) => StrategyFactory.Create(name, pool, encodings, seed, options, constraint: constraint));
    }
}
