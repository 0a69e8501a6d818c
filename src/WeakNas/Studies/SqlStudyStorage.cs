using System.Data.Common;
using System.Globalization;

namespace WeakNas.Studies;

/// <summary>
/// Studies in a SQL database, one schema for SQLite and PostgreSQL (docs/studies.md). Operations that read then
/// write (propose, re-queue) run in a transaction that holds the study's lock (SQLite: BEGIN IMMEDIATE;
/// PostgreSQL: a transaction-scoped advisory lock on the study); a claim is one conditional statement
/// (<see cref="ClaimStatement"/>), and single-row changes (heartbeat, complete, fail, lease) are one conditional UPDATE each. Committed means durable: a killed process loses nothing it was told it saved.
/// </summary>
public abstract class SqlStudyStorage : IStudyStorage
{
    /// <summary>
    /// 4: the queue index covers (study, state, number), so claiming the lowest waiting trial reads one index entry
    /// instead of walking the study's trials by number (a cost that grew with every trial); the proposal lease
    /// (<c>proposer</c>, <c>proposer_ms</c> on weaknas_studies: which worker is computing the next batch, since when).
    /// 3 (weaknas 0.9): a study can be paused (<c>paused</c>, <c>paused_ms</c> on weaknas_studies: a circuit breaker stopped it).
    /// 2 (weaknas 0.8 and before): trials keyed by the architecture's text (unique per study), the index only where the
    /// space is listed. 1 (weaknas 0.5.0 and before): keyed by index. Older versions are migrated in place when opened.
    /// </summary>
    public const int SchemaVersion = 4;

    private const string MetaTable = "CREATE TABLE IF NOT EXISTS weaknas_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS weaknas_studies (
            name TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            created_ms BIGINT NOT NULL,
            paused TEXT,
            paused_ms BIGINT,
            proposer TEXT,
            proposer_ms BIGINT);
        """ + TrialsTable + ";\n" + TrialsIndex;

    private const string TrialsTable = """
        CREATE TABLE IF NOT EXISTS weaknas_trials (
            study TEXT NOT NULL REFERENCES weaknas_studies(name),
            number INTEGER NOT NULL,
            batch INTEGER NOT NULL,
            arch_index INTEGER,
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
            UNIQUE (study, arch))
        """;

    private const string TrialsIndex = "CREATE INDEX IF NOT EXISTS weaknas_trials_queue ON weaknas_trials (study, state, number)";

    /// <summary>Version 1 to 2 in one transaction: the trials move to a table keyed by architecture text.</summary>
    private static readonly string[] MigrationFrom1 =
    [
        TrialsTable.Replace("weaknas_trials (", "weaknas_trials_v2 (", StringComparison.Ordinal),
        $"INSERT INTO weaknas_trials_v2 (study, {Columns}) SELECT study, {Columns} FROM weaknas_trials",
        "DROP TABLE weaknas_trials",
        "ALTER TABLE weaknas_trials_v2 RENAME TO weaknas_trials",
        TrialsIndex,
        "UPDATE weaknas_meta SET value = '2' WHERE key = 'schema_version'",
    ];

    /// <summary>Version 2 to 3: the pause columns (null: running).</summary>
    private static readonly string[] MigrationFrom2 =
    [
        "ALTER TABLE weaknas_studies ADD COLUMN paused TEXT",
        "ALTER TABLE weaknas_studies ADD COLUMN paused_ms BIGINT",
        "UPDATE weaknas_meta SET value = '3' WHERE key = 'schema_version'",
    ];

    /// <summary>Version 3 to 4: the queue index replaces the (study, state) one; the proposal lease columns (null: nobody proposing).</summary>
    private static readonly string[] MigrationFrom3 =
    [
        "ALTER TABLE weaknas_studies ADD COLUMN proposer TEXT",
        "ALTER TABLE weaknas_studies ADD COLUMN proposer_ms BIGINT",
        "DROP INDEX IF EXISTS weaknas_trials_state",
        TrialsIndex,
        "UPDATE weaknas_meta SET value = '4' WHERE key = 'schema_version'",
    ];

    private const string Columns = "number, batch, arch_index, arch, state, value, metrics, worker, heartbeat_ms, attempts, error, created_ms, started_ms, finished_ms";

    /// <summary>A human-readable name of where the data lives, for messages.</summary>
    public abstract string Location { get; }

    protected abstract DbConnection Open();

    /// <summary>Begins a transaction that holds the study's lock until it ends.</summary>
    protected abstract DbTransaction BeginLocked(DbConnection connection, string study);

    /// <summary>
    /// Creates the tables if needed, migrates a version 1 storage in place, and refuses a version it does not know. One
    /// locked transaction: a process that opens the storage while another migrates it waits and finds version 2.
    /// </summary>
    protected void EnsureSchema()
    {
        using var c = Open();
        using var tx = BeginLocked(c, "weaknas schema");
        Execute(c, tx, MetaTable);
        object? version = Scalar(c, tx, "SELECT value FROM weaknas_meta WHERE key = 'schema_version'");
        string current = SchemaVersion.ToString(CultureInfo.InvariantCulture);
        if (version == null)
        {
            foreach (string statement in Schema.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Execute(c, tx, statement);
            Execute(c, tx, "INSERT INTO weaknas_meta (key, value) VALUES ('schema_version', @v)", ("v", current));
        }
        else if ((string)version is "1" or "2" or "3")
        {
            if ((string)version == "1")
                foreach (string statement in MigrationFrom1) Execute(c, tx, statement);
            if ((string)version is "1" or "2")
                foreach (string statement in MigrationFrom2) Execute(c, tx, statement);
            foreach (string statement in MigrationFrom3) Execute(c, tx, statement);
            MigratedFrom = int.Parse((string)version, CultureInfo.InvariantCulture);
        }
        else if ((string)version != current)
        {
            throw new InvalidInputException($"{Location}: schema version {version}, this weaknas reads versions 1 to {SchemaVersion}");
        }
        tx.Commit();
    }

    /// <summary>The schema version this storage was migrated from when it was opened; null when it needed no migration.</summary>
    public int? MigratedFrom { get; private set; }

    public void CreateStudy(StudySpec spec)
    {
        using var c = Open();
        using var tx = BeginLocked(c, spec.Name);
        if (Scalar(c, tx, "SELECT 1 FROM weaknas_studies WHERE name = @n", ("n", spec.Name)) != null)
            throw new InvalidInputException($"study '{spec.Name}' already exists in {Location}");
        Execute(c, tx, "INSERT INTO weaknas_studies (name, spec, created_ms) VALUES (@n, @s, @t)",
            ("n", spec.Name), ("s", spec.ToJson()), ("t", spec.CreatedMs));
        tx.Commit();
    }

    public StudySpec? FindStudy(string name)
    {
        using var c = Open();
        return Scalar(c, null, "SELECT spec FROM weaknas_studies WHERE name = @n", ("n", name)) switch
        {
            null => null,
            string json => ParseSpec(name, json),
            var other => throw new InvalidInputException($"{Location}: study '{name}': column spec holds {other.GetType().Name} {other}, expected JSON text"),
        };
    }

    public IReadOnlyList<string> StudyNames()
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT name FROM weaknas_studies ORDER BY name");
        using var reader = cmd.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    public IReadOnlyList<Trial> Trials(string study)
    {
        using var c = Open();
        return ReadTrials(c, null, study);
    }

    public IReadOnlyList<Trial> TrialsFrom(string study, int first)
    {
        using var c = Open();
        return ReadTrials(c, null, study, "AND number >= " + Math.Max(0, first).ToString(CultureInfo.InvariantCulture) + " ORDER BY number");
    }

    /// <summary>Four index lookups (the key's largest number, one waiting row, one running row, the study's pause): no scan of the trials.</summary>
    public StudyProgress Progress(string study)
    {
        using var c = Open();
        using var cmd = Command(c, null,
            "SELECT (SELECT MAX(number) FROM weaknas_trials WHERE study = @s), " +
            "(SELECT 1 FROM weaknas_trials WHERE study = @s AND state = 'waiting' LIMIT 1), " +
            "(SELECT 1 FROM weaknas_trials WHERE study = @s AND state = 'running' LIMIT 1), " +
            "(SELECT 1 FROM weaknas_studies WHERE name = @s AND paused IS NOT NULL)", ("s", study));
        using var r = cmd.ExecuteReader();
        r.Read();
        int total = r.IsDBNull(0) ? 0 : Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture) + 1;
        return new StudyProgress(total, !r.IsDBNull(1), !r.IsDBNull(2), !r.IsDBNull(3));
    }

    public bool AddTrials(string study, int expectedCount, IReadOnlyList<Trial> trials)
    {
        using var c = Open();
        using var tx = BeginLocked(c, study);
        RequireStudy(c, tx, study);
        // Numbers run 0 to count - 1 (this method appends them so): the largest is one index lookup, a count would scan.
        long count = Convert.ToInt64(Scalar(c, tx, "SELECT COALESCE(MAX(number) + 1, 0) FROM weaknas_trials WHERE study = @s", ("s", study)), CultureInfo.InvariantCulture);
        if (count != expectedCount) return false;
        for (int i = 0; i < trials.Count; i++)
        {
            var t = trials[i];
            if (t.Number != expectedCount + i) throw new ArgumentException($"trial number {t.Number}, expected {expectedCount + i}");
            Execute(c, tx, $"INSERT INTO weaknas_trials (study, {Columns}) VALUES (@study, @number, @batch, @arch_index, @arch, @state, @value, @metrics, @worker, @heartbeat_ms, @attempts, @error, @created_ms, @started_ms, @finished_ms)",
                ("study", study), ("number", t.Number), ("batch", t.Batch), ("arch_index", t.ArchIndex), ("arch", t.Arch),
                ("state", Trial.StateName(t.State)), ("value", t.Value), ("metrics", t.Metrics), ("worker", t.Worker),
                ("heartbeat_ms", t.HeartbeatMs), ("attempts", t.Attempts), ("error", t.Error), ("created_ms", t.CreatedMs),
                ("started_ms", t.StartedMs), ("finished_ms", t.FinishedMs));
        }
        tx.Commit();
        return true;
    }

    public IReadOnlyList<Trial> Claim(string study, int count, string worker, long nowMs)
    {
        using var c = Open();
        using var cmd = Command(c, null, ClaimStatement, ("s", study), ("c", count), ("w", worker), ("now", nowMs));
        var claimed = ReadTrials(cmd, study);
        claimed.Sort((a, b) => a.Number.CompareTo(b.Number));
        return claimed;
    }

    /// <summary>
    /// One statement that claims up to @c waiting trials of study @s, lowest numbers first, unless the study is paused, and
    /// returns them (<see cref="Columns"/>, as claimed). SQLite runs it under its single write lock; PostgreSQL skips rows
    /// another claim has locked, so claims of many workers proceed side by side.
    /// </summary>
    protected internal virtual string ClaimStatement { get; } = $"""
        UPDATE weaknas_trials SET state = 'running', worker = @w, heartbeat_ms = @now, attempts = attempts + 1, started_ms = @now
        WHERE study = @s AND state = 'waiting'
          AND number IN (SELECT number FROM weaknas_trials WHERE study = @s AND state = 'waiting' ORDER BY number LIMIT @c)
          AND {NotPaused}
        RETURNING {Columns}
        """;

    /// <summary>The condition, in a statement about study @s, that the study is not paused.</summary>
    protected const string NotPaused = "NOT EXISTS (SELECT 1 FROM weaknas_studies WHERE name = @s AND paused IS NOT NULL)";

    /// <summary>The trial columns, each prefixed (for statements that join the trials with another row set).</summary>
    protected static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(col => alias + "." + col));

    public bool Heartbeat(string study, int number, string worker, long nowMs)
    {
        using var c = Open();
        return Execute(c, null, "UPDATE weaknas_trials SET heartbeat_ms = @now WHERE study = @s AND number = @n AND state = 'running' AND worker = @w",
            ("now", nowMs), ("s", study), ("n", number), ("w", worker)) == 1;
    }

    public int RequeueStale(string study, long cutoffMs, int maxAttempts, long nowMs)
    {
        using var c = Open();
        using var tx = BeginLocked(c, study);
        var stale = ReadTrials(c, tx, study, "AND state = 'running' AND heartbeat_ms < " + cutoffMs.ToString(CultureInfo.InvariantCulture));
        int changed = 0;
        foreach (var t in stale)
        {
            bool final = t.Attempts >= maxAttempts;
            changed += Execute(c, tx,
                "UPDATE weaknas_trials SET state = @state, error = @e, finished_ms = @f WHERE study = @s AND number = @n AND state = 'running' AND heartbeat_ms < @cutoff",
                ("state", final ? "failed" : "waiting"), ("e", StudyMessages.Abandoned(t, final)), ("f", final ? nowMs : null),
                ("s", study), ("n", t.Number), ("cutoff", cutoffMs));
        }
        tx.Commit();
        return changed;
    }

    public bool Complete(string study, int number, string worker, double value, string metrics, long nowMs)
    {
        using var c = Open();
        return Execute(c, null,
            "UPDATE weaknas_trials SET state = 'complete', value = @v, metrics = @m, worker = @w, error = NULL, finished_ms = @now WHERE study = @s AND number = @n AND state IN ('waiting', 'running')",
            ("v", value), ("m", metrics), ("w", worker), ("now", nowMs), ("s", study), ("n", number)) == 1;
    }

    public bool Fail(string study, int number, string worker, string error, long nowMs)
    {
        using var c = Open();
        return Execute(c, null,
            "UPDATE weaknas_trials SET state = 'failed', worker = @w, error = @e, finished_ms = @now WHERE study = @s AND number = @n AND state IN ('waiting', 'running')",
            ("w", worker), ("e", error), ("now", nowMs), ("s", study), ("n", number)) == 1;
    }

    public void SetPaused(string study, string? reason, long nowMs)
    {
        using var c = Open();
        int changed = reason == null
            ? Execute(c, null, "UPDATE weaknas_studies SET paused = NULL, paused_ms = NULL WHERE name = @n", ("n", study))
            : Execute(c, null, "UPDATE weaknas_studies SET paused = @r, paused_ms = @t WHERE name = @n AND paused IS NULL", ("r", reason), ("t", nowMs), ("n", study));
        if (changed == 0) RequireStudy(c, null, study);
    }

    public bool LeaseProposal(string study, string worker, long nowMs, long leaseMs)
    {
        using var c = Open();
        if (Execute(c, null,
                "UPDATE weaknas_studies SET proposer = @w, proposer_ms = @now WHERE name = @n AND (proposer IS NULL OR proposer = @w OR proposer_ms < @cutoff)",
                ("w", worker), ("now", nowMs), ("n", study), ("cutoff", nowMs - leaseMs)) == 1) return true;
        RequireStudy(c, null, study);
        return false;
    }

    public void ReleaseProposal(string study, string worker)
    {
        using var c = Open();
        Execute(c, null, "UPDATE weaknas_studies SET proposer = NULL, proposer_ms = NULL WHERE name = @n AND proposer = @w", ("n", study), ("w", worker));
    }

    public string? Paused(string study)
    {
        using var c = Open();
        return Scalar(c, null, "SELECT paused FROM weaknas_studies WHERE name = @n", ("n", study)) as string;
    }

    private void RequireStudy(DbConnection c, DbTransaction? tx, string study)
    {
        if (Scalar(c, tx, "SELECT 1 FROM weaknas_studies WHERE name = @n", ("n", study)) == null)
            throw new InvalidInputException($"no study named '{study}' in {Location}");
    }

    /// <summary>A stored spec, or an <see cref="InvalidInputException"/> naming the study when it was edited into something this version cannot read.</summary>
    private StudySpec ParseSpec(string name, string json)
    {
        StudySpec spec;
        try
        {
            spec = StudySpec.FromJson(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidInputException($"{Location}: study '{name}': column spec does not parse ({e.Message.Split('\n')[0]})", e);
        }
        if (spec.Name != name) throw new InvalidInputException($"{Location}: study '{name}': column spec names study '{spec.Name}'");
        try
        {
            spec.Validate();
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException($"{Location}: study '{name}': column spec: {e.Message}", e);
        }
        return spec;
    }

    private static readonly string[] ColumnNames = Columns.Split(", ");

    /// <summary>The study's trials; a row edited into something that is not a trial is an <see cref="InvalidInputException"/> naming its study, trial and column.</summary>
    private List<Trial> ReadTrials(DbConnection c, DbTransaction? tx, string study, string where = "ORDER BY number")
    {
        using var cmd = Command(c, tx, $"SELECT {Columns} FROM weaknas_trials WHERE study = @s {where}", ("s", study));
        return ReadTrials(cmd, study);
    }

    /// <summary>The trials a statement returns (its columns are <see cref="Columns"/>), checked as above.</summary>
    private List<Trial> ReadTrials(DbCommand cmd, string study)
    {
        using var r = cmd.ExecuteReader();
        var trials = new List<Trial>();
        while (r.Read())
        {
            string number = r.IsDBNull(0) ? "?" : Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture) ?? "?";
            T Read<T>(int column, Func<object, T> convert, bool nullable = false)
            {
                object value = r.GetValue(column);
                string Bad(string why) => $"{Location}: study '{study}' trial {number}: column {ColumnNames[column]} holds {Shown(value)}, {why}";
                if (value is DBNull) return nullable ? default! : throw new InvalidInputException(Bad("expected a value"));
                try
                {
                    return convert(value);
                }
                catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or InvalidInputException)
                {
                    throw new InvalidInputException(Bad(e is InvalidInputException ? e.Message : typeof(T) == typeof(string) ? "expected text" : "expected an integer"), e);
                }
            }
            static int Int(object v) => v is string ? throw new FormatException() : Convert.ToInt32(v, CultureInfo.InvariantCulture);
            static long Long(object v) => v is string ? throw new FormatException() : Convert.ToInt64(v, CultureInfo.InvariantCulture);
            static string Text(object v) => v as string ?? throw new InvalidCastException();
            var trial = new Trial(
                Number: Read(0, Int),
                Batch: Read(1, Int),
                ArchIndex: Read<int?>(2, v => Int(v), nullable: true),
                Arch: Read(3, Text),
                State: Read(4, v => Text(v) is "waiting" or "running" or "complete" or "failed" ? Trial.ParseState((string)v) : throw new InvalidInputException("expected waiting, running, complete or failed")),
                Value: Read<double?>(5, v => v is not string && Convert.ToDouble(v, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) ? d : throw new InvalidInputException("expected a finite number"), nullable: true),
                Metrics: Read(6, Text, nullable: true),
                Worker: Read(7, Text, nullable: true),
                HeartbeatMs: Read<long?>(8, v => Long(v), nullable: true),
                Attempts: Read(9, v => Int(v) is >= 0 and var n ? n : throw new InvalidInputException("expected a count of 0 or more")),
                Error: Read(10, Text, nullable: true),
                CreatedMs: Read(11, Long),
                StartedMs: Read<long?>(12, v => Long(v), nullable: true),
                FinishedMs: Read<long?>(13, v => Long(v), nullable: true));
            string Row(string what) => $"{Location}: study '{study}' trial {number}: {what}";
            if (trial.State == TrialState.Complete)
            {
                if (trial.Value == null) throw new InvalidInputException(Row("complete with no value (column value is NULL)"));
                if (trial.Metrics == null || !IsJsonObject(trial.Metrics)) throw new InvalidInputException(Row($"column metrics holds {Shown(trial.Metrics)}, expected a JSON object"));
            }
            if (trial.Arch.Length == 0) throw new InvalidInputException(Row("column arch is empty"));
            trials.Add(trial);
        }
        return trials;
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Shown(object? value) => value switch
    {
        null or DBNull => "NULL",
        string text => "'" + StudyMetrics.Shorten(text, 60) + "'",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    protected static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected static int Execute(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    protected static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        var result = cmd.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}
