namespace WeakNas.Tests;

/// <summary>Locates the shared benchmark tables: WEAKNAS_DATA, else ../shared/data beside the checkout.</summary>
internal static class TestData
{
    public static string Folder { get; } = Locate();

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("WEAKNAS_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "WeakNas.sln"))) dir = dir.Parent;
        if (dir?.Parent == null) throw new InvalidOperationException("cannot find the repository root (WeakNas.sln) above " + AppContext.BaseDirectory);
        string folder = Path.Combine(dir.Parent.FullName, "shared", "data");
        if (!Directory.Exists(folder)) throw new InvalidOperationException($"benchmark data not found at {folder}; set WEAKNAS_DATA");
        return folder;
    }
}
