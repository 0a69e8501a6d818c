using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

/// <summary>The whole NAS-Bench-101 space, enumerated once per test run and shared by the tests that need it.</summary>
internal static class EnumeratedSpace
{
    private static readonly Lazy<NasBench101Space> Shared = new(() => NasBench101Enumerator.Enumerate(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static NasBench101Space Value => Shared.Value;

    /// <summary>A cache folder holding the shared space, so commands load it instead of enumerating.</summary>
    public static void WriteCache(string folder) => NasBench101SpaceCache.Write(Path.Combine(folder, NasBench101SpaceCache.FileName), Value);
}
