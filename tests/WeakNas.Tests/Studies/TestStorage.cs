using Microsoft.Data.Sqlite;
using Npgsql;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>
/// The storage backends the study tests run against: memory and SQLite always, PostgreSQL when WEAKNAS_TEST_POSTGRES
/// holds its URL (see <see cref="PostgresRequirementTests"/> for how CI makes sure that case is not skipped silently).
/// </summary>
internal static class Backends
{
    public const string Memory = "memory";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public const string PostgresVariable = "WEAKNAS_TEST_POSTGRES";
    public const string RequirePostgresVariable = "WEAKNAS_REQUIRE_POSTGRES";

    public static string? PostgresUrl =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } url ? url : null;

    /// <summary>Every backend available here.</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string> { Memory, Sqlite };
        if (PostgresUrl != null) data.Add(Postgres);
        return data;
    }

    /// <summary>The backends other processes can reach.</summary>
    public static TheoryData<string> Shared()
    {
        var data = new TheoryData<string> { Sqlite };
        if (PostgresUrl != null) data.Add(Postgres);
        return data;
    }
}

/// <summary>
/// One test's storage: a fresh memory store, a SQLite file in a temporary folder (deleted on dispose), or the shared
/// PostgreSQL database, where every study this test creates carries a unique prefix and is deleted on dispose.
/// </summary>
internal sealed class TestStorage : IDisposable
{
    private readonly TemporaryFolder? _folder;
    private readonly List<IStudyStorage> _opened = [];
    private readonly string _prefix = $"t-{Guid.NewGuid():N}-";
    private int _names;

    public TestStorage(string backend)
    {
        Backend = backend;
        switch (backend)
        {
            case Backends.Memory:
                Url = null;
                break;
            case Backends.Sqlite:
                _folder = new TemporaryFolder();
                FilePath = Path.Combine(_folder.Path, "studies.db");
                Url = "sqlite:///" + FilePath; // four slashes: an absolute path
                break;
            case Backends.Postgres:
                Url = Backends.PostgresUrl ?? throw new InvalidOperationException($"{Backends.PostgresVariable} is not set");
                break;
            default:
                throw new ArgumentException($"unknown backend '{backend}'", nameof(backend));
        }
        Storage = OpenAnother();
    }

    public string Backend { get; }

    /// <summary>The storage URL for the CLI and worker processes; null for memory.</summary>
    public string? Url { get; }

    /// <summary>The SQLite file, for the SQLite backend.</summary>
    public string? FilePath { get; }

    public IStudyStorage Storage { get; }

    /// <summary>A study name no other test (or test run sharing the PostgreSQL database) uses.</summary>
    public string NewName() => _prefix + Interlocked.Increment(ref _names);

    /// <summary>
    /// A second handle on the same data, as another process would open it (memory: the same store, which lives
    /// only in this process).
    /// </summary>
    public IStudyStorage OpenAnother()
    {
        if (Backend == Backends.Memory && _opened.Count > 0) return _opened[0];
        var storage = Backend == Backends.Memory ? new MemoryStudyStorage() : StudyStorage.Open(Url!);
        lock (_opened) _opened.Add(storage);
        return storage;
    }

    public void Dispose()
    {
        foreach (var storage in _opened) storage.Dispose();
        if (Backend == Backends.Postgres) DeletePostgresStudies();
        if (_folder != null)
        {
            // Each SQLite storage closed its own pooled connections as it was disposed (never every pool: tests run in parallel).
            _folder.Dispose();
        }
    }

    private void DeletePostgresStudies()
    {
        try
        {
            using var source = NpgsqlDataSource.Create(PostgresStudyStorage.ConnectionString(Url!));
            using var c = source.OpenConnection();
            foreach (string table in new[] { "weaknas_trials", "weaknas_studies" })
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = table == "weaknas_trials"
                    ? "DELETE FROM weaknas_trials WHERE study LIKE @p"
                    : "DELETE FROM weaknas_studies WHERE name LIKE @p";
                cmd.Parameters.AddWithValue("p", _prefix + "%");
                cmd.ExecuteNonQuery();
            }
        }
        catch (NpgsqlException)
        {
            // Leftover rows under a unique prefix harm nobody.
        }
    }
}

/// <summary>A fact that needs the PostgreSQL server of WEAKNAS_TEST_POSTGRES: skipped without it (CI requires it, see <see cref="PostgresRequirementTests"/>).</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Backends.PostgresUrl == null) Skip = $"{Backends.PostgresVariable} is not set: no PostgreSQL server";
    }
}
