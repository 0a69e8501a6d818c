namespace WeakNas.Benchmarks;

/// <summary>Finds the folder that holds the benchmark tables: the --data option, else WEAKNAS_DATA.</summary>
public static class DataFolder
{
    public const string EnvironmentVariable = "WEAKNAS_DATA";

    public static string Resolve(string? option)
    {
        string? folder = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : option;
        if (string.IsNullOrWhiteSpace(folder))
            throw new InvalidInputException($"no benchmark data folder: pass --data DIR or set {EnvironmentVariable} (the folder that holds nasbench201/)");
        if (!Directory.Exists(folder))
            throw new InvalidInputException($"benchmark data folder '{folder}' does not exist");
        return Path.GetFullPath(folder);
    }
}
