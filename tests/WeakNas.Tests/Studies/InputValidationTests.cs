using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using WeakNas.Studies;
using WeakNas.Tests.Cli;

namespace WeakNas.Tests.Studies;

/// <summary>Storages edited by hand, storage URLs outside the documented forms, outputs that must not be replaced: one line each, exit 2.</summary>
public sealed class InputValidationTests : IDisposable
{
    public static TheoryData<string> SharedBackends => Backends.Shared();

    private readonly TemporaryFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DbConnection Connect(TestStorage test)
    {
        DbConnection c = test.Backend == Backends.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = test.FilePath }.ToString())
            : new NpgsqlConnection(PostgresStudyStorage.ConnectionString(test.Url!));
        c.Open();
        return c;
    }

    private static void Edit(TestStorage test, string sql, string study)
    {
        using var c = Connect(test);
        using var cmd = c.CreateCommand();
        cmd.CommandText = (test.Backend == Backends.Sqlite ? "PRAGMA ignore_check_constraints = ON; " : "") + sql;
        var p = cmd.CreateParameter();
        p.ParameterName = "@s";
        p.Value = study;
        cmd.Parameters.Add(p);
        Assert.True(cmd.ExecuteNonQuery() >= 1, sql);
    }

    /// <summary>A study with three complete trials, edited by <paramref name="sql"/>, is refused by every command that reads it.</summary>
    [Theory]
    [InlineData("both", "UPDATE weaknas_trials SET metrics = 'not json' WHERE study = @s AND number = 1", "trial 1: column metrics holds 'not json', expected a JSON object")]
    [InlineData("both", "UPDATE weaknas_trials SET value = NULL WHERE study = @s AND number = 2", "trial 2: complete with no value")]
    [InlineData("both", "UPDATE weaknas_trials SET attempts = -1 WHERE study = @s AND number = 0", "trial 0: column attempts holds -1, expected a count of 0 or more")]
    [InlineData("both", "UPDATE weaknas_trials SET arch = '' WHERE study = @s AND number = 0", "trial 0: column arch is empty")]
    [InlineData("both", "UPDATE weaknas_studies SET spec = '{\"name\": 5' WHERE name = @s", "column spec does not parse")]
    [InlineData("both", "UPDATE weaknas_studies SET spec = replace(spec, '\"budget\":12', '\"budget\":-4') WHERE name = @s", "column spec: study budget must be positive, got -4")]
    [InlineData("sqlite", "UPDATE weaknas_trials SET state = 'done' WHERE study = @s AND number = 1", "trial 1: column state holds 'done', expected waiting, running, complete or failed")]
    [InlineData("sqlite", "UPDATE weaknas_trials SET value = 'high' WHERE study = @s AND number = 1", "trial 1: column value holds 'high', expected a finite number")]
    [InlineData("sqlite", "UPDATE weaknas_trials SET batch = 'x' WHERE study = @s AND number = 1", "trial 1: column batch holds 'x', expected an integer")]
    [InlineData("sqlite", "UPDATE weaknas_studies SET spec = 17 WHERE name = @s", "column spec does not parse")]
    [InlineData("postgres", "UPDATE weaknas_trials SET value = 'NaN' WHERE study = @s AND number = 1", "trial 1: column value holds NaN, expected a finite number")]
    [InlineData("postgres", "UPDATE weaknas_trials SET value = 'Infinity' WHERE study = @s AND number = 1", "trial 1: column value holds Infinity, expected a finite number")]
    public void A_study_edited_by_hand_is_refused_naming_the_trial_and_column(string only, string sql, string expected)
    {
        var backends = new List<string> { Backends.Sqlite };
        if (Backends.PostgresUrl != null) backends.Add(Backends.Postgres);
        foreach (string backend in backends)
        {
            if (only != "both" && only != backend) continue;
            using var test = new TestStorage(backend);
            string name = test.NewName();
            var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 12));
            foreach (var t in study.Ask(3, "w")) study.Tell(t.Number, $"{{\"accuracy\": {t.Number}}}", "w");
            Edit(test, sql, name);
            foreach (var args in new[]
            {
                new[] { "study", "status", name }, ["study", "export", name, "--format", "json"], ["study", "ask", name],
                ["worker", name, "--evaluate", "echo '{\"accuracy\": 1}'", "--results", Path.Combine(_dir.Path, "r")],
                ["study", "tell", name, "5", "--value", "1"],
            })
            {
                CliRunner.AssertOneLineError(CliRunner.Run([.. args, "--storage", test.Url!]), expected);
            }
        }
    }

    [Theory]
    [InlineData("", "--storage is empty")]
    [InlineData("  ", "--storage is empty")]
    [InlineData("sqlite:", "unknown scheme 'sqlite:'")]
    [InlineData("MEMORY:", "unknown scheme 'MEMORY:'")]
    [InlineData("Memory:", "unknown scheme 'Memory:'")]
    [InlineData("file:///tmp/x.db", "unknown scheme 'file:'")]
    [InlineData("http://localhost/db", "unknown scheme 'http:'")]
    [InlineData("sqlite:///", "expected sqlite:///relative/file.db")]
    [InlineData("sqlite:////tmp/", "expected sqlite:///relative/file.db")]
    public void Storage_urls_are_one_of_the_documented_forms(string url, string expected)
    {
        string before = Directory.GetCurrentDirectory();
        CliRunner.AssertOneLineError(CliRunner.Run("study", "status", "s", "--storage", url), expected);
        Assert.False(File.Exists(Path.Combine(before, "sqlite:")), "no file named after the scheme");
        Assert.False(File.Exists(Path.Combine(before, "MEMORY:")), "no file named after the scheme");
    }

    [Fact]
    public void A_dangling_link_or_a_fifo_given_as_storage_is_refused_and_nothing_is_created()
    {
        string dangling = Path.Combine(_dir.Path, "dangling.db"), target = Path.Combine(_dir.Path, "nowhere.db");
        File.CreateSymbolicLink(dangling, target);
        CliRunner.AssertOneLineError(CliRunner.Run("study", "status", "s", "--storage", dangling), "is a symbolic link to nothing");
        Assert.False(File.Exists(target), "SQLite must not create the file the link leads to");
        string fifo = Path.Combine(_dir.Path, "fifo.db");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            Assert.True(mkfifo.WaitForExit(10_000));
        }
        CliRunner.AssertOneLineError(CliRunner.Run("study", "status", "s", "--storage", "sqlite:///" + fifo), "is a FIFO (named pipe); expected a SQLite file");
    }

    [Fact]
    public void A_folder_given_as_storage_is_refused()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("study", "status", "s", "--storage", _dir.Path), "is a directory; expected a SQLite file");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "status", "s", "--storage", "sqlite:///" + _dir.Path), "is a directory");
    }

    [Fact]
    public void Outputs_refuse_to_replace_a_directory_fifo_device_or_dangling_link_and_write_through_a_link_to_a_file()
    {
        using var test = new TestStorage(Backends.Sqlite);
        string name = test.NewName();
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 12));
        foreach (var t in study.Ask(2, "w")) study.Tell(t.Number, "{\"accuracy\": 1}", "w");
        string[] Export(string path) => ["study", "export", name, "--storage", test.Url!, "--out", path];

        string fifo = Path.Combine(_dir.Path, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            Assert.True(mkfifo.WaitForExit(10_000));
            Assert.Equal(0, mkfifo.ExitCode);
        }
        string dangling = Path.Combine(_dir.Path, "dangling");
        File.CreateSymbolicLink(dangling, Path.Combine(_dir.Path, "nothing"));
        CliRunner.AssertOneLineError(CliRunner.Run(Export(_dir.Path)), "is a directory: refusing to replace it with a file");
        CliRunner.AssertOneLineError(CliRunner.Run(Export(fifo)), "is a FIFO (named pipe): refusing to replace it");
        CliRunner.AssertOneLineError(CliRunner.Run(Export("/dev/null")), "'/dev/null' is a device: refusing to replace it");
        CliRunner.AssertOneLineError(CliRunner.Run(Export(dangling)), "is a symbolic link to nothing");
        CliRunner.AssertOneLineError(CliRunner.Run(Export("")), "--out must name a file");
        CliRunner.AssertOneLineError(CliRunner.Run(Export("/proc/version")), "--out");
        Assert.Equal(WeakNas.Data.PathKind.Fifo, WeakNas.Data.PathKinds.Of(fifo));
        Assert.Equal(WeakNas.Data.PathKind.SymbolicLink, WeakNas.Data.PathKinds.Of(dangling));

        // A link to a regular file: the file gets the export, the link stays a link.
        string target = Path.Combine(_dir.Path, "trials.csv"), link = Path.Combine(_dir.Path, "latest.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        var written = CliRunner.Run(Export(link));
        Assert.True(written.Code == 0, written.Err);
        Assert.StartsWith("number,batch,index,arch,state", File.ReadAllText(target));
        Assert.Equal(target, new FileInfo(link).LinkTarget);

        // search --out and data import --to are checked before any work.
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--budget", "20", "--out", fifo), "--out '");
        CliRunner.AssertOneLineError(CliRunner.Run("data", "import", "nb101", "--from", "/etc/hostname", "--to", ""), "--to must name a file");
    }
}
