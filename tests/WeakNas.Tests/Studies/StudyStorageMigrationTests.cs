using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>
/// A storage written by weaknas 0.5.0 (schema 1, trials keyed by index; Fixtures/studies-v1.db) opens, migrates in place
/// to schema 2 (keyed by architecture text) with every trial as it was, and its studies go on along the trajectory the
/// old release took (Fixtures/nb201-weaknas-continued.csv). On SQLite from the file itself; on PostgreSQL from its rows
/// written into the version 1 tables.
/// </summary>
public class StudyStorageMigrationTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Studies", "Fixtures", name);

    /// <summary>The version 1 tables exactly as weaknas 0.5.0 created them.</summary>
    private const string SchemaV1 = """
        CREATE TABLE IF NOT EXISTS weaknas_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS weaknas_studies (
            name TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            created_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS weaknas_trials (
            study TEXT NOT NULL REFERENCES weaknas_studies(name),
            number INTEGER NOT NULL,
            batch INTEGER NOT NULL,
            arch_index INTEGER NOT NULL,
            arch TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'complete', 'failed')),
            value DOUBLE PRECISION,
            metrics TEXT,
            worker TEXT,
            heartbeat_ms BIGINT,
            attempts INTEGER NOT NULL,
            error TEXT,
            created_ms BIGINT NOT NULL,
            started_ms BIGINT,
            finished_ms BIGINT,
            PRIMARY KEY (study, number),
            UNIQUE (study, arch_index));
        CREATE INDEX IF NOT EXISTS weaknas_trials_state ON weaknas_trials (study, state)
        """;

    private const string TrialColumns = "study, number, batch, arch_index, arch, state, value, metrics, worker, heartbeat_ms, attempts, error, created_ms, started_ms, finished_ms";

    /// <summary>Every row of the fixture, as text, study by study and trial by trial.</summary>
    private static List<string[]> Rows(DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (r.Read())
            rows.Add(Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!).ToArray());
        return rows;
    }

    private static (List<string[]> Studies, List<string[]> Trials) FixtureRows()
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Fixture("studies-v1.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());
        c.Open();
        return (Rows(c, "SELECT name, spec, created_ms FROM weaknas_studies ORDER BY name"),
            Rows(c, $"SELECT {TrialColumns} FROM weaknas_trials ORDER BY study, number"));
    }

    private static List<string[]> TrialRows(IStudyStorage storage) =>
        [.. storage.StudyNames().SelectMany(name => storage.Trials(name).Select(t => new[]
        {
            name, I(t.Number), I(t.Batch), t.ArchIndex is int i ? I(i) : "NULL", t.Arch, Trial.StateName(t.State),
            t.Value is double v ? v.ToString(CultureInfo.InvariantCulture) : "NULL", t.Metrics ?? "NULL", t.Worker ?? "NULL",
            t.HeartbeatMs is long h ? I(h) : "NULL", I(t.Attempts), t.Error ?? "NULL", I(t.CreatedMs),
            t.StartedMs is long s ? I(s) : "NULL", t.FinishedMs is long f ? I(f) : "NULL",
        }))];

    private static double? Number(string text) => text == "NULL" ? null : double.Parse(text, CultureInfo.InvariantCulture);

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The migrated storage holds what the old one held, and every study goes on as under the old release.</summary>
    private static void CheckMigrated(IStudyStorage storage)
    {
        var (studies, trials) = FixtureRows();
        Assert.Equal(studies.Select(s => s[0]), storage.StudyNames());
        foreach (var s in studies) Assert.Equal(StudySpec.FromJson(s[1]).ToJson(), storage.FindStudy(s[0])!.ToJson());
        var migrated = TrialRows(storage);
        Assert.Equal(trials.Count, migrated.Count);
        for (int i = 0; i < trials.Count; i++)
        {
            // Doubles compared as numbers: the two databases print them differently.
            Assert.Equal(trials[i].Where((_, k) => k != 6), migrated[i].Where((_, k) => k != 6));
            Assert.Equal(Number(trials[i][6]), Number(migrated[i][6]));
        }

        // The WeakNAS study continues along the trajectory the old release took from this file.
        var study = Study.Load(storage, "nb201-weaknas");
        var report = new StudyWorker(study, new TabularTrialEvaluator(StudyFixtures.Cifar10), "after-migration", StudyFixtures.FastPolling()).Run();
        Assert.Equal(0, report.Failed);
        var expected = File.ReadAllLines(Fixture("nb201-weaknas-continued.csv")).Skip(1).Select(line => line.Split(',')).ToArray();
        var continued = study.Trials();
        Assert.Equal(expected.Length, continued.Count);
        Assert.Equal(expected.Select(e => (int.Parse(e[0], CultureInfo.InvariantCulture), int.Parse(e[1], CultureInfo.InvariantCulture), e[2])),
            continued.Select(t => (t.Number, t.ArchIndex!.Value, t.Arch)));

        // The random study (its budget all proposed) and the declared study's pool rebuild their strategies from the
        // migrated trials; the declared one, with budget left, proposes architectures it has not tried.
        foreach (string name in new[] { "layers-evolution", "nb201-random" })
        {
            var other = Study.Load(storage, name);
            foreach (var t in other.Trials().Where(t => !t.IsFinished)) Assert.True(other.Tell(t.Number, """{"accuracy": 50}""", "w"));
            var tried = other.Trials().Select(t => t.ArchIndex!.Value).ToHashSet();
            var next = other.RebuildStrategy(other.Trials()).Ask(2);
            Assert.NotEmpty(next);
            Assert.DoesNotContain(next, tried.Contains);
        }
        var layers = Study.Load(storage, "layers-evolution");
        var before = layers.Trials().Select(t => t.Arch).ToHashSet();
        var asked = layers.Ask(1, "w");
        Assert.Single(asked);
        Assert.DoesNotContain(asked[0].Arch, before);
        Assert.NotNull(asked[0].ArchIndex);
    }

    [Fact]
    public void A_version_1_sqlite_file_migrates_in_place_and_its_studies_go_on()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "studies.db");
        File.Copy(Fixture("studies-v1.db"), path);
        using (var storage = new SqliteStudyStorage(path))
        {
            Assert.Equal(1, storage.MigratedFrom);
            CheckMigrated(storage);
        }
        using (var again = new SqliteStudyStorage(path)) Assert.Null(again.MigratedFrom);
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        c.Open();
        Assert.Equal("4", Rows(c, "SELECT value FROM weaknas_meta WHERE key = 'schema_version'").Single()[0]);
        Assert.Equal(["weaknas_trials_queue"], Rows(c, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").Select(r => r[0]));
        // Keyed by text now: the same architecture twice in a study is refused, an index may be absent.
        Assert.Contains("UNIQUE (study, arch)", Rows(c, "SELECT sql FROM sqlite_master WHERE name = 'weaknas_trials'").Single()[0], StringComparison.Ordinal);
        Release(path);
    }

    [Fact]
    public void A_storage_of_an_unknown_future_version_is_refused_with_its_version()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "future.db");
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString()))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE weaknas_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO weaknas_meta VALUES ('schema_version', '5')";
            cmd.ExecuteNonQuery();
        }
        Release(path);
        var e = Assert.Throws<InvalidInputException>(() => new SqliteStudyStorage(path));
        Assert.Contains("schema version 5, this weaknas reads versions 1 to 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_2_storage_gains_the_pause_columns_in_place_and_keeps_its_rows()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "v2.db");
        var spec = StudyFixtures.RandomSpec("old", budget: 3) with { CreatedMs = 1234 };
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString()))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            // Version 2 exactly as weaknas 0.8 created it: no pause columns.
            cmd.CommandText = SchemaV1.Replace("arch_index INTEGER NOT NULL", "arch_index INTEGER", StringComparison.Ordinal)
                .Replace("UNIQUE (study, arch_index)", "UNIQUE (study, arch)", StringComparison.Ordinal)
                + $"; INSERT INTO weaknas_meta VALUES ('schema_version', '2'); INSERT INTO weaknas_studies VALUES ('old', @spec, 1234);"
                + "INSERT INTO weaknas_trials VALUES ('old', 0, 0, 5, 'arch-5', 'complete', 91.5, '{\"accuracy\": 91.5}', 'w', 1, 1, NULL, 1, 1, 2)";
            var p = cmd.CreateParameter();
            p.ParameterName = "@spec";
            p.Value = spec.ToJson();
            cmd.Parameters.Add(p);
            cmd.ExecuteNonQuery();
        }
        Release(path);
        using (var storage = new SqliteStudyStorage(path))
        {
            Assert.Equal(2, storage.MigratedFrom);
            Assert.Null(storage.Paused("old"));
            var trial = Assert.Single(storage.Trials("old"));
            Assert.Equal(("arch-5", 91.5, TrialState.Complete), (trial.Arch, trial.Value!.Value, trial.State));
            Assert.True(storage.LeaseProposal("old", "w", 100, 1000));
            Assert.False(storage.LeaseProposal("old", "v", 200, 1000));
            storage.ReleaseProposal("old", "w");
            storage.SetPaused("old", "5 trials in a row failed", 99);
            Assert.Equal("5 trials in a row failed", storage.Paused("old"));
        }
        Release(path);
        using (var again = new SqliteStudyStorage(path))
        {
            Assert.Null(again.MigratedFrom);
            Assert.Equal("5 trials in a row failed", again.Paused("old"));
        }
        Release(path);
    }

    [PostgresFact]
    public void A_version_1_postgresql_database_migrates_in_place_and_its_studies_go_on()
    {
        string url = Backends.PostgresUrl!;
        string schema = $"migration_{Guid.NewGuid():N}";
        using var admin = new NpgsqlConnection(PostgresStudyStorage.ConnectionString(url));
        admin.Open();
        Execute(admin, $"CREATE SCHEMA {schema}");
        try
        {
            string scoped = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "Search%20Path=" + schema;
            using (var c = new NpgsqlConnection(PostgresStudyStorage.ConnectionString(scoped)))
            {
                c.Open();
                foreach (string statement in SchemaV1.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) Execute(c, statement);
                Execute(c, "INSERT INTO weaknas_meta (key, value) VALUES ('schema_version', '1')");
                var (studies, trials) = FixtureRows();
                foreach (var s in studies) Execute(c, "INSERT INTO weaknas_studies VALUES (@p0, @p1, @p2)", s[0], s[1], long.Parse(s[2], CultureInfo.InvariantCulture));
                foreach (var t in trials)
                {
                    object?[] values = [t[0], int.Parse(t[1], CultureInfo.InvariantCulture), int.Parse(t[2], CultureInfo.InvariantCulture), int.Parse(t[3], CultureInfo.InvariantCulture),
                        t[4], t[5], Number(t[6]), Text(t[7]), Text(t[8]), Long(t[9]),
                        int.Parse(t[10], CultureInfo.InvariantCulture), Text(t[11]), long.Parse(t[12], CultureInfo.InvariantCulture),
                        Long(t[13]), Long(t[14])];
                    Execute(c, $"INSERT INTO weaknas_trials ({TrialColumns}) VALUES ({string.Join(", ", values.Select((_, i) => "@p" + i))})", values);
                }
            }
            using (var storage = new PostgresStudyStorage(scoped))
            {
                Assert.Equal(1, storage.MigratedFrom);
                CheckMigrated(storage);
            }
            using (var again = new PostgresStudyStorage(scoped)) Assert.Null(again.MigratedFrom);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(admin, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static string? Text(string text) => text == "NULL" ? null : text;

    private static long? Long(string text) => text == "NULL" ? null : long.Parse(text, CultureInfo.InvariantCulture);

    private static void Execute(NpgsqlConnection c, string sql, params object?[] values)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        for (int i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue("p" + i, values[i] ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Closes the pooled connections to the file, the raw ones of these tests and the storage's (its pools only: tests run in parallel).</summary>
    private static void Release(string path)
    {
        using (var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString())) SqliteConnection.ClearPool(raw);
        SqliteStudyStorage.ClosePooled(path);
    }
}
