namespace WeakNas.Studies;

/// <summary>Opens a storage from a URL: sqlite:///relative.db, sqlite:////absolute.db, a plain file path, postgresql://…, or memory:.</summary>
public static class StudyStorage
{
    public const string EnvironmentVariable = "WEAKNAS_STORAGE";
    public const string DefaultFile = "weaknas.db";

    /// <summary>The URL to use: the option when given (never empty), else $WEAKNAS_STORAGE when set and not empty, else weaknas.db in the working folder.</summary>
    public static string Resolve(string? url)
    {
        if (url != null)
            return string.IsNullOrWhiteSpace(url) ? throw new InvalidInputException("--storage is empty; expected " + Forms) : url;
        return Environment.GetEnvironmentVariable(EnvironmentVariable) is { } env && !string.IsNullOrWhiteSpace(env) ? env : "sqlite:///" + DefaultFile;
    }

    /// <summary>The documented forms, for messages.</summary>
    public const string Forms = "sqlite:///relative/file.db, sqlite:////absolute/file.db, a file path, postgresql://user@host/db or memory:";

    public static IStudyStorage Open(string url)
    {
        if (url == "memory:") return new MemoryStudyStorage();
        if (url.StartsWith("postgresql://", StringComparison.Ordinal) || url.StartsWith("postgres://", StringComparison.Ordinal))
            return new PostgresStudyStorage(url);
        string file = SqliteFile(url)!;
        if (!url.StartsWith("sqlite://", StringComparison.Ordinal) && Directory.Exists(file)) throw new InvalidInputException($"storage '{url}' is a directory; expected a SQLite file");
        return new SqliteStudyStorage(file);
    }

    /// <summary>
    /// The SQLite file a storage URL names (<c>sqlite:///relative.db</c>, <c>sqlite:////absolute.db</c> or a plain path),
    /// null for memory and PostgreSQL; an <see cref="InvalidInputException"/> for a malformed or unknown form.
    /// </summary>
    public static string? SqliteFile(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url == "memory:" || url.StartsWith("postgresql://", StringComparison.Ordinal) || url.StartsWith("postgres://", StringComparison.Ordinal)) return null;
        if (url.StartsWith("sqlite://", StringComparison.Ordinal))
        {
            // As SQLAlchemy and Optuna: three slashes then a relative path; four for an absolute one.
            string rest = url["sqlite://".Length..];
            if (!rest.StartsWith('/') || rest.Length == 1 || rest.EndsWith('/'))
                throw new InvalidInputException($"storage '{url}': expected sqlite:///relative/file.db or sqlite:////absolute/file.db");
            return rest[1..];
        }
        if (string.IsNullOrWhiteSpace(url)) throw new InvalidInputException("storage URL is empty; expected " + Forms);
        // Anything that starts like a URL (sqlite:, MEMORY:, file://, http:) is one of the forms above or an error, never a file
        // of that name; a Windows drive letter (C:\) is a path.
        int colon = url.IndexOf(':');
        bool drive = colon == 1 && OperatingSystem.IsWindows();
        if (colon > 0 && !drive && url[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') && char.IsAsciiLetter(url[0]))
            throw new InvalidInputException($"storage '{PostgresStudyStorage.Redact(url)}': unknown scheme '{url[..(colon + 1)]}'; expected {Forms}");
        return url;
    }
}

/// <summary>Where a study's trial folders live (<see cref="CommandTrialEvaluator"/>): the one given, else beside its storage.</summary>
public static class StudyResults
{
    public const string Folder = "weaknas-results";

    /// <summary>
    /// The study's results folder: <paramref name="given"/> when there is one, else beside a SQLite file
    /// (<c>studies.db.results/NAME</c>, shared by every worker of that file, which are all on its machine), else
    /// <c>weaknas-results/NAME</c> in the working folder (PostgreSQL: give a shared folder to workers on several machines).
    /// </summary>
    public static string Resolve(string? given, IStudyStorage storage, string study)
    {
        if (given != null)
        {
            if (string.IsNullOrWhiteSpace(given)) throw new InvalidInputException("--results must name a folder");
            return Path.GetFullPath(given);
        }
        string root = storage is SqliteStudyStorage sqlite ? sqlite.Path + ".results" : Path.GetFullPath(Folder);
        return Path.Combine(root, SafeName(study));
    }

    /// <summary>A study name as one folder name: letters, digits, '.', '-', '_' kept, anything else as %XX, so two names never share a folder.</summary>
    public static string SafeName(string study)
    {
        var s = new System.Text.StringBuilder();
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(study))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && s.Length > 0)) s.Append(c);
            else s.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }
}
