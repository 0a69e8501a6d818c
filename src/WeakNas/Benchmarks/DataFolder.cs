namespace WeakNas.Benchmarks;

/// <summary>
/// Finds the benchmark tables: the --data option, else WEAKNAS_DATA, else the tables embedded in the library. A relative
/// folder is resolved against the current directory.
/// </summary>
public static class DataFolder
{
    public const string EnvironmentVariable = "WEAKNAS_DATA";

    /// <summary>The option's or the environment's folder (which must exist), else the embedded tables.</summary>
    public static BenchmarkData Resolve(string? option) => BenchmarkData.FromFolderOrEmbedded(Given(option));

    /// <summary>The option's or the environment's folder as a full path (which must exist), or null when neither is given.</summary>
    public static string? ResolveFolderOrNull(string? option) => Resolve(option).Folder;

    /// <summary>The folder as given (the option, else the environment), unchecked; null when neither names one.</summary>
    public static string? Given(string? option)
    {
        string? folder = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : option;
        return string.IsNullOrWhiteSpace(folder) ? null : folder;
    }
}
