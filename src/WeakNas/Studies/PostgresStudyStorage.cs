using System.Data.Common;
using Npgsql;

namespace WeakNas.Studies;

/// <summary>
/// Studies in a PostgreSQL database, for workers on many machines. Proposing and re-queueing hold a transaction-scoped
/// advisory lock keyed by the study name; claims lock only the rows they take, and single-row updates need no lock.
/// </summary>
public sealed class PostgresStudyStorage : SqlStudyStorage
{
    private readonly NpgsqlDataSource _source;

    /// <param name="url">postgresql://user:password@host:port/database[?key=value...]</param>
    public PostgresStudyStorage(string url)
    {
        Location = Redact(url);
        _source = NpgsqlDataSource.Create(ConnectionString(url));
        try
        {
            EnsureSchema();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            _source.Dispose();
            throw new InvalidInputException($"storage '{Location}': {e.Message}", e);
        }
    }

    public override string Location { get; }

    protected override DbConnection Open() => _source.OpenConnection();

    /// <summary>
    /// Claims without the study's lock: the waiting rows are locked as they are chosen and rows another claim holds are
    /// skipped (FOR UPDATE SKIP LOCKED), so workers claim side by side; the state is checked again on the locked row.
    /// The choice is a materialized CTE: as a subquery in FROM, PostgreSQL may run it again for each row it joins and
    /// claim far more than asked.
    /// </summary>
    protected internal override string ClaimStatement { get; } = $"""
        WITH chosen AS MATERIALIZED (
            SELECT number FROM weaknas_trials
            WHERE study = @s AND state = 'waiting' AND {NotPaused}
            ORDER BY number LIMIT @c FOR UPDATE SKIP LOCKED)
        UPDATE weaknas_trials t SET state = 'running', worker = @w, heartbeat_ms = @now, attempts = t.attempts + 1, started_ms = @now
        FROM chosen WHERE t.study = @s AND t.number = chosen.number AND t.state = 'waiting'
        RETURNING {ColumnsOf("t")}
        """;

    protected override DbTransaction BeginLocked(DbConnection connection, string study)
    {
        var tx = connection.BeginTransaction();
        Execute(connection, tx, "SELECT pg_advisory_xact_lock(hashtext(@k))", ("k", "weaknas:" + study));
        return tx;
    }

    /// <summary>Turns a postgresql:// URL into an Npgsql connection string.</summary>
    public static string ConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "postgresql" && uri.Scheme != "postgres"))
            throw new InvalidInputException($"storage '{Redact(url)}' is not a postgresql://user:password@host:port/database URL");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]);
            string value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                builder[key] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new InvalidInputException($"storage '{Redact(url)}': option '{key}={value}' is not a valid PostgreSQL connection option", e);
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>The URL without its password, for messages.</summary>
    public static string Redact(string url)
    {
        int at = url.IndexOf('@');
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme) return url;
        int colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }

    public override void Dispose()
    {
        _source.Dispose();
        base.Dispose();
    }
}
