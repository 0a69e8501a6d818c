namespace WeakNas.Studies;

/// <summary>Opens a storage from a URL: sqlite:///relative.db, sqlite:////absolute.db, a plain file path, postgresql://…, or memory:.</summary>
public static class StudyStorage
{
    public const string EnvironmentVariable = "WEAKNAS_STORAGE";
    public const string DefaultFile = "weaknas.db";

    /// <summary>The URL to use: the option, else $WEAKNAS_STORAGE, else weaknas.db in the working folder.</summary>
    public static string Resolve(string? url) =>
        !string.IsNullOrWhiteSpace(url) ? url
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env
        : "sqlite:///" + DefaultFile;

    public static IStudyStorage Open(string url)
    {
        if (url == "memory:") return new MemoryStudyStorage();
        if (url.StartsWith("postgresql://", StringComparison.Ordinal) || url.StartsWith("postgres://", StringComparison.Ordinal))
            return new PostgresStudyStorage(url);
        if (url.StartsWith("sqlite://", StringComparison.Ordinal))
        {
            // As SQLAlchemy and Optuna: three slashes then a relative path; four for an absolute one.
            string rest = url["sqlite://".Length..];
            if (!rest.StartsWith('/') || rest.Length == 1)
                throw new InvalidInputException($"storage '{url}': expected sqlite:///relative/file.db or sqlite:////absolute/file.db");
            return new SqliteStudyStorage(rest[1..]);
        }
        if (url.Contains("://", StringComparison.Ordinal))
            throw new InvalidInputException($"storage '{url}': unknown scheme; expected sqlite:///file.db, postgresql://user@host/db or memory:");
        return new SqliteStudyStorage(url);
    }
}
