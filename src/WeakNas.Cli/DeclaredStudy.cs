using WeakNas.Spaces.Declared;
using WeakNas.Studies;

namespace WeakNas.Cli;

/// <summary>
/// What a study over a declared space stores: the declaration as canonical JSON, and either the pool (its size and
/// seed) or, with <c>--candidates fresh</c>, nothing more: the whole space is searched.
/// </summary>
internal sealed record DeclaredStudy(string Space, string? Declaration, int? Pool, ulong? PoolSeed, System.Numerics.BigInteger Architectures)
{
    public const string CandidatesHelp = "A declared space or darts: pool (rank a pool of --pool architectures drawn once) or fresh (search the whole space: WeakNAS ranks fresh samples and mutations each iteration; for spaces too large to pool).";

    /// <summary>
    /// The declaration of <paramref name="space"/> when it names a file, or the DARTS space (no declaration), with its pool
    /// or fresh candidates; null for another built-in space (then no pool option may be given).
    /// </summary>
    public static DeclaredStudy? Of(string space, int? pool, ulong? poolSeed, string? candidates)
    {
        var darts = WeakNas.Spaces.Darts.DartsProvider.Find(space);
        if (!DeclaredSpaceFile.IsDeclaration(space) && darts == null)
        {
            if (pool != null || poolSeed != null || candidates != null)
                throw new InvalidInputException($"--pool, --pool-seed and --candidates apply to a declared space (--space FILE) or darts, not to {space}");
            return null;
        }
        bool fresh = candidates switch
        {
            null or "pool" => false,
            "fresh" => true,
            _ => throw new InvalidInputException($"--candidates must be pool or fresh, got '{candidates}'"),
        };
        if (fresh && (pool != null || poolSeed != null)) throw new InvalidInputException("--pool and --pool-seed describe a pool: not with --candidates fresh");
        if (darts != null)
        {
            if (fresh) return new DeclaredStudy(space, null, null, null, darts.Networks);
            return new DeclaredStudy(space, null, CheckedPool(pool ?? StudySpace.DefaultDartsPool), poolSeed ?? 0, darts.Networks);
        }
        var declared = DeclaredSpaceFile.Load(space);
        if (fresh) return new DeclaredStudy(declared.Name, declared.ToDeclarationJson(), null, null, declared.CountArchitectures());
        return new DeclaredStudy(declared.Name, declared.ToDeclarationJson(), CheckedPool(pool ?? StudyCommand.DeclaredPoolDefault), poolSeed ?? 0, declared.CountArchitectures());
    }

    private static int CheckedPool(int size) =>
        size is <= 0 or > StudySpec.MaxPool ? throw new InvalidInputException($"--pool must be between 1 and {StudySpec.MaxPool:N0}, got {size}") : size;

    /// <summary>One line saying what the study searches.</summary>
    public string Describe(StudySpace space) => Pool == null
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"candidates: the whole space of {Architectures:N0} architectures of {Space}, fresh candidates each iteration")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"pool: {space.Size:N0} architectures of {Space} (pool seed {PoolSeed})");
}
