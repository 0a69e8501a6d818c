using WeakNas.Spaces.Declared;
using WeakNas.Studies;

namespace WeakNas.Cli;

/// <summary>What a study over a declared space stores: the declaration as canonical JSON, the pool size and its seed.</summary>
internal sealed record DeclaredStudy(string Space, string Declaration, int Pool, ulong PoolSeed)
{
    /// <summary>The declaration of <paramref name="space"/> when it names a file; null for a built-in space (then no pool option may be given).</summary>
    public static DeclaredStudy? Of(string space, int? pool, ulong? poolSeed)
    {
        if (!DeclaredSpaceFile.IsDeclaration(space))
        {
            if (pool != null || poolSeed != null) throw new InvalidInputException($"--pool and --pool-seed apply to a declared space (--space FILE), not to {space}");
            return null;
        }
        int size = pool ?? StudyCommand.DeclaredPoolDefault;
        if (size is <= 0 or > StudySpec.MaxPool)
            throw new InvalidInputException($"--pool must be between 1 and {StudySpec.MaxPool:N0}, got {size}");
        var declared = DeclaredSpaceFile.Load(space);
        return new DeclaredStudy(declared.Name, declared.ToDeclarationJson(), size, poolSeed ?? 0);
    }
}
