using WeakNas.Benchmarks;

namespace WeakNas.Tests;

/// <summary>
/// The benchmark tables for tests. <see cref="Shared"/> is the shared data folder when there is one (WEAKNAS_DATA, a
/// relative path resolved against the directory the tests were started from, else ../shared/data beside the
/// checkout); <see cref="Folder"/> is always a data folder: the shared one, else the library's embedded tables
/// unpacked into a temporary folder, so the suite runs from a bare clone.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string?> LazyShared = new(LocateShared);
    private static readonly Lazy<string> LazyFolder = new(() => Shared ?? Unpacked());

    /// <summary>The shared data folder, or null when the checkout has none beside it.</summary>
    public static string? Shared => LazyShared.Value;

    /// <summary>A data folder holding every embedded file (the shared one when present).</summary>
    public static string Folder => LazyFolder.Value;

    /// <summary>The reason a test that needs the shared folder is skipped, or null when it is there.</summary>
    public static string? SkipWithoutShared =>
        Shared == null ? "needs the shared benchmark folder (../shared/data beside the checkout, or WEAKNAS_DATA); absent here" : null;

    /// <summary>The repository root (the folder of WeakNas.sln) above the test binaries.</summary>
    public static string RepositoryRoot { get; } = LocateRoot();

    private static string LocateRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "WeakNas.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (WeakNas.sln) above " + AppContext.BaseDirectory);
    }

    private static string? LocateShared()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataFolder.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // The test host runs in the binaries' folder; the shell's PWD is where the user started `dotnet test`.
            string start = Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } pwd && Directory.Exists(pwd) ? pwd : RepositoryRoot;
            string folder = Path.GetFullPath(fromEnvironment, start);
            if (!Directory.Exists(folder)) throw new InvalidOperationException($"{DataFolder.EnvironmentVariable}={fromEnvironment}: {folder} does not exist");
            return folder;
        }
        string beside = Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared", "data");
        return File.Exists(Path.Combine(beside, NasBench201Benchmark.MeansPath)) ? beside : null;
    }

    private static string Unpacked()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"weaknas-test-data-{Environment.ProcessId}");
        EmbeddedData.Extract(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    }
}

/// <summary>A fact that needs the shared benchmark folder: skipped, with the reason, when it is absent.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute() => Skip = TestData.SkipWithoutShared;
}

/// <summary>A theory that needs the shared benchmark folder: skipped, with the reason, when it is absent.</summary>
internal sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute() => Skip = TestData.SkipWithoutShared;
}
