using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace WeakNas.Studies;

/// <summary>
/// Studies in one SQLite file (the embedded default). Write-ahead logging lets workers read while one writes;
/// every locked operation is BEGIN IMMEDIATE, so workers in several processes on one machine queue for it.
/// </summary>
public sealed class SqliteStudyStorage : SqlStudyStorage
{
    private readonly string _connectionString;

    public SqliteStudyStorage(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(Path)) throw new InvalidInputException($"storage '{path}' is a directory; expected a SQLite file");
        // SQLite would create the file a dangling link leads to, or open a FIFO or a device: only a file, a link to one, or a new path.
        var (_, kind) = Data.PathKinds.Final(Path, out _);
        if (kind == Data.PathKind.SymbolicLink)
            throw new InvalidInputException($"storage '{path}' is a symbolic link to nothing; expected a SQLite file");
        if (kind is Data.PathKind.Fifo or Data.PathKind.Device or Data.PathKind.Socket)
            throw new InvalidInputException($"storage '{path}' is {Data.PathKinds.Describe(kind)}; expected a SQLite file");
        string? folder = System.IO.Path.GetDirectoryName(Path);
        if (folder != null && !Directory.Exists(folder))
            throw new InvalidInputException($"storage '{path}': folder '{folder}' does not exist");
        _connectionString = ConnectionString(Path);
        try
        {
            using (var c = Open())
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA journal_mode = WAL";
                cmd.ExecuteNonQuery();
            }
            EnsureSchema();
        }
        catch (SqliteException e)
        {
            throw new InvalidInputException($"storage '{path}': {e.Message}", e);
        }
    }

    public string Path { get; }

    public override string Location => "sqlite:///" + Path;

    protected override DbConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 120000;";
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>
    /// Closes this file's pooled connections, so that the file is really closed once the storage is (and a storage opened
    /// on it afterwards really opens it). Only this file's pool: clearing every pool of the process
    /// (<c>SqliteConnection.ClearAllPools</c>) can dispose a connection another storage is just opening.
    /// </summary>
    public override void Dispose()
    {
        ClosePooled(Path);
        base.Dispose();
    }

    /// <summary>Closes the idle pooled connections to the SQLite file at <paramref name="path"/> (its pool only).</summary>
    public static void ClosePooled(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(System.IO.Path.GetFullPath(path)));
        SqliteConnection.ClearPool(connection);
    }

    private static string ConnectionString(string fullPath) => new SqliteConnectionStringBuilder
    {
        DataSource = fullPath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 120,
    }.ToString();

    // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for a deferred transaction: the write lock is taken at once.
    protected override DbTransaction BeginLocked(DbConnection connection, string study) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);
}
