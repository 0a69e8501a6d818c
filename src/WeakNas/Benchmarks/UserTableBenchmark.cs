using System.Globalization;
using WeakNas.Numerics;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;

namespace WeakNas.Benchmarks;

/// <summary>
/// A user's own table of trained architectures (e.g. a lab's past training runs) as a tabular benchmark over its
/// rows: every row an architecture, a search metric column (maximised) and a report metric column. Its optimum is
/// known, so queries to it can be counted. Made by <see cref="UserTableBenchmark.Load"/> (a declared space) or
/// <see cref="UserTableBenchmark.LoadTextForm"/> (any space, architectures in its text form).
/// </summary>
public sealed class UserTableBenchmark<TArch> : ITabularBenchmark<TArch> where TArch : notnull, IEquatable<TArch>
{
    private readonly double[] _search;
    private readonly double[] _report;

    internal UserTableBenchmark(TableSpace<TArch> space, string source, string searchMetric, string reportMetric, double[] search, double[] report)
    {
        Space = space;
        Source = source;
        SearchMetric = searchMetric;
        TestMetric = reportMetric;
        _search = search;
        _report = report;
        OptimumIndex = Statistics.ArgMax(search);
    }

    IEnumerableSearchSpace<TArch> ITabularBenchmark<TArch>.Space => Space;

    public TableSpace<TArch> Space { get; }

    /// <summary>The table's file name.</summary>
    public string Source { get; }

    /// <summary>The table's name, as the dataset of reports.</summary>
    public string Dataset => Path.GetFileNameWithoutExtension(Source);

    public string SearchMetric { get; }

    public string TestMetric { get; }

    public double SearchAccuracy(int index) => _search[index];

    public double TestAccuracy(int index) => _report[index];

    public bool HasPerSeedSearchAccuracy => false;

    public double SampleSearchAccuracy(int index, Rng rng) => throw new InvalidInputException($"{Source} has one value per architecture: --noise seed needs per-seed results");

    public int OptimumIndex { get; }

    /// <summary>E.g. "results.csv: 2,048 architectures of my-space, metric val_acc (best 93.1), report test_acc".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Source}: {Space.Count:N0} architectures of {Space.Name}, metric {SearchMetric} (best {SearchAccuracy(OptimumIndex):G6}), report {TestMetric}");
}

/// <summary>Reads user tables (CSV) into <see cref="UserTableBenchmark{TArch}"/>s.</summary>
public static class UserTableBenchmark
{
    /// <summary>The column that may hold an architecture's text form instead of one column per decision.</summary>
    public const string ArchColumn = "arch";

    /// <summary>The text-form column names accepted, in order of preference (NAS-Bench-201's tables call it arch_str).</summary>
    private static readonly string[] ArchColumns = [ArchColumn, "arch_str"];

    /// <summary>
    /// A table over a declared space: one column per decision (an empty cell for a decision its conditions switch off), or
    /// one column <c>arch</c> with the text form. <paramref name="reportMetric"/> defaults to the search metric. Every problem
    /// (a missing column, a value that is not a choice, a missing or non-finite metric, the same architecture twice) is an
    /// <see cref="InvalidInputException"/> naming the file and line.
    /// </summary>
    public static UserTableBenchmark<DeclaredArchitecture> Load(DeclaredSpace space, string path, string searchMetric, string? reportMetric = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Read(space, path, searchMetric, reportMetric, table =>
        {
            int archColumn = TextColumn(table);
            if (archColumn >= 0) return row => space.Parse(table.Text(row, archColumn));
            var columns = space.Decisions.Select(d => table.ColumnNames.ToList().IndexOf(d.Name)).ToArray();
            if (Array.IndexOf(columns, -1) is int missing and >= 0)
                throw new InvalidInputException($"{table.FileName}: no column for decision '{space.Decisions[missing].Name}' (and no '{ArchColumn}' column with the text form); columns: {string.Join(", ", table.ColumnNames)}");
            return row => space.Build((d, name) =>
            {
                string cell = table.Text(row, columns[d]).Trim();
                if (cell.Length == 0) return null;
                int choice = space.Decisions[d].IndexOfText(cell);
                return choice >= 0 ? choice
                    : throw new FormatException($"decision '{name}' has '{cell}', expected one of {string.Join(", ", space.Decisions[d].Choices.Select(c => c.Text))}");
            });
        });
    }

    /// <summary>A table over any space whose <c>arch</c> (or <c>arch_str</c>) column holds each architecture's text form.</summary>
    public static UserTableBenchmark<TArch> LoadTextForm<TArch>(ISearchSpace<TArch> space, string path, string searchMetric, string? reportMetric = null)
        where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(space);
        return Read(space, path, searchMetric, reportMetric, table =>
        {
            int archColumn = TextColumn(table);
            if (archColumn < 0)
                throw new InvalidInputException($"{table.FileName}: no '{ArchColumn}' column with each architecture's {space.Name} text form; columns: {string.Join(", ", table.ColumnNames)}");
            return row => space.Parse(table.Text(row, archColumn));
        });
    }

    /// <summary>
    /// A JSON table over any space: an object from each architecture's text (any form the space parses) to an object of
    /// its metrics, each a number or an object holding it as <c>score</c>, as NASLib's zero-cost files store them
    /// (<c>{"val_accuracy": 93.3, "params": {"score": 0.86, "time": 0.5}}</c>); the whole may sit under one key naming
    /// the dataset (<c>{"cifar10": {...}}</c>, then the table's dataset is that key). Every problem names the file and the
    /// entry.
    /// </summary>
    public static UserTableBenchmark<TArch> LoadJson<TArch>(ISearchSpace<TArch> space, string path, string searchMetric, string? reportMetric = null)
        where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(searchMetric);
        reportMetric ??= searchMetric;
        if (!File.Exists(path)) throw new InvalidInputException($"--table {path} does not exist");
        Data.InputFile.Check(path);
        string file = Path.GetFileName(path);
        System.Text.Json.JsonDocument document;
        try
        {
            document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidInputException($"{file}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object) throw new InvalidInputException($"{file}: expected a JSON object from architectures to their metrics");
            string? dataset = null;
            var entries = root.EnumerateObject().ToList();
            // One key whose value holds the architectures, rather than one architecture: the dataset's name.
            if (entries.Count == 1 && entries[0].Value.ValueKind == System.Text.Json.JsonValueKind.Object && !Parses(space, entries[0].Name))
            {
                dataset = entries[0].Name;
                entries = entries[0].Value.EnumerateObject().ToList();
            }
            if (entries.Count == 0) throw new InvalidInputException($"{file}: the table has no architectures");
            var rows = new List<TArch>(entries.Count);
            var entryOf = new Dictionary<TArch, int>();
            var search = new double[entries.Count];
            var report = new double[entries.Count];
            for (int i = 0; i < entries.Count; i++)
            {
                string where = $"{file} entry {i + 1} ('{Shorten(entries[i].Name)}')";
                TArch arch;
                try
                {
                    arch = space.Parse(entries[i].Name);
                }
                catch (FormatException e)
                {
                    throw new InvalidInputException($"{where}: {e.Message}", e);
                }
                if (!entryOf.TryAdd(arch, i)) throw new InvalidInputException($"{where}: the same architecture as entry {entryOf[arch] + 1}");
                if (entries[i].Value.ValueKind != System.Text.Json.JsonValueKind.Object) throw new InvalidInputException($"{where}: expected an object of metrics");
                rows.Add(arch);
                search[i] = Metric(entries[i].Value, searchMetric, where, "--metric");
                report[i] = Metric(entries[i].Value, reportMetric, where, "--report-metric");
            }
            var source = dataset == null ? file : $"{Path.GetFileNameWithoutExtension(file)}-{dataset}{Path.GetExtension(file)}";
            return new UserTableBenchmark<TArch>(new TableSpace<TArch>(space, rows), source, searchMetric, reportMetric, search, report);
        }

        static bool Parses(ISearchSpace<TArch> space, string text)
        {
            try
            {
                space.Parse(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        static double Metric(System.Text.Json.JsonElement entry, string name, string where, string option)
        {
            if (!entry.TryGetProperty(name, out var value))
                throw new InvalidInputException($"{where}: no metric '{name}' ({option}); it has {string.Join(", ", entry.EnumerateObject().Select(p => p.Name))}");
            if (value.ValueKind == System.Text.Json.JsonValueKind.Object && value.TryGetProperty("score", out var score)) value = score;
            if (value.ValueKind != System.Text.Json.JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
                throw new InvalidInputException($"{where}: metric '{name}' is {Shorten(value.GetRawText())}, not a finite number");
            return number;
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static int TextColumn(CsvTable table) =>
        ArchColumns.Select(name => table.ColumnNames.ToList().IndexOf(name)).FirstOrDefault(i => i >= 0, -1);

    private static UserTableBenchmark<TArch> Read<TArch>(ISearchSpace<TArch> space, string path, string searchMetric, string? reportMetric,
        Func<CsvTable, Func<int, TArch>> rowReader) where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(searchMetric);
        reportMetric ??= searchMetric;
        if (!File.Exists(path)) throw new InvalidInputException($"--table {path} does not exist");
        var table = CsvTable.Read(path);
        string file = table.FileName;
        var names = table.ColumnNames.ToList();
        int searchColumn = names.IndexOf(searchMetric);
        if (searchColumn < 0) throw new InvalidInputException($"{file}: no metric column '{searchMetric}' (--metric); columns: {string.Join(", ", names)}");
        int reportColumn = names.IndexOf(reportMetric);
        if (reportColumn < 0) throw new InvalidInputException($"{file}: no report metric column '{reportMetric}' (--report-metric); columns: {string.Join(", ", names)}");
        if (table.Rows.Count == 0) throw new InvalidInputException($"{file}: the table has no rows");
        var read = rowReader(table);

        var rows = new List<TArch>(table.Rows.Count);
        var lineOf = new Dictionary<TArch, int>();
        var search = new double[table.Rows.Count];
        var report = new double[table.Rows.Count];
        for (int r = 0; r < table.Rows.Count; r++)
        {
            int line = table.LineOf(r);
            TArch arch;
            try
            {
                arch = read(r);
            }
            catch (FormatException e)
            {
                throw new InvalidInputException($"{file} line {line}: {e.Message}", e);
            }
            if (!lineOf.TryAdd(arch, line))
                throw new InvalidInputException($"{file} line {line}: the same architecture as line {lineOf[arch]} ({space.Format(arch)})");
            rows.Add(arch);
            search[r] = table.Number(r, searchColumn);
            report[r] = table.Number(r, reportColumn);
        }
        return new UserTableBenchmark<TArch>(new TableSpace<TArch>(space, rows), file, searchMetric, reportMetric, search, report);
    }
}
