using System.Globalization;
using WeakNas.Numerics;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;

namespace WeakNas.Benchmarks;

/// <summary>
/// A user's own table of trained architectures over a declared space (e.g. a lab's past training runs) as a tabular
/// benchmark: every row an architecture, given either by one column per decision (an empty cell for a decision its
/// conditions switch off) or by one column <c>arch</c> holding the text form; a search metric column (maximised) and a
/// report metric column. Its optimum is known, so queries to it can be counted.
/// </summary>
public sealed class UserTableBenchmark : ITabularBenchmark<DeclaredArchitecture>
{
    /// <summary>The column that may hold an architecture's text form instead of one column per decision.</summary>
    public const string ArchColumn = "arch";

    private readonly double[] _search;
    private readonly double[] _report;

    private UserTableBenchmark(DeclaredTableSpace space, string source, string searchMetric, string reportMetric, double[] search, double[] report)
    {
        Space = space;
        Source = source;
        SearchMetric = searchMetric;
        TestMetric = reportMetric;
        _search = search;
        _report = report;
        int best = 0;
        for (int i = 1; i < search.Length; i++) if (search[i] > search[best]) best = i;
        OptimumIndex = best;
    }

    IEnumerableSearchSpace<DeclaredArchitecture> ITabularBenchmark<DeclaredArchitecture>.Space => Space;

    public DeclaredTableSpace Space { get; }

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

    /// <summary>
    /// Reads <paramref name="path"/> over <paramref name="space"/>; <paramref name="reportMetric"/> defaults to the search
    /// metric. Every problem (a missing column, a value that is not a choice, a missing or non-finite metric, the same
    /// architecture twice) is an <see cref="InvalidInputException"/> naming the file and line.
    /// </summary>
    public static UserTableBenchmark Load(DeclaredSpace space, string path, string searchMetric, string? reportMetric = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(searchMetric);
        reportMetric ??= searchMetric;
        var table = CsvTable.Read(path);
        string file = table.FileName;
        string Known() => string.Join(", ", table.ColumnNames);
        int searchColumn = table.ColumnNames.ToList().IndexOf(searchMetric);
        if (searchColumn < 0) throw new InvalidInputException($"{file}: no metric column '{searchMetric}' (--metric); columns: {Known()}");
        int reportColumn = table.ColumnNames.ToList().IndexOf(reportMetric);
        if (reportColumn < 0) throw new InvalidInputException($"{file}: no report metric column '{reportMetric}' (--report-metric); columns: {Known()}");
        if (table.Rows.Count == 0) throw new InvalidInputException($"{file}: the table has no rows");

        int archColumn = table.ColumnNames.ToList().IndexOf(ArchColumn);
        var decisionColumns = space.Decisions.Select(d => table.ColumnNames.ToList().IndexOf(d.Name)).ToArray();
        if (archColumn < 0 && Array.IndexOf(decisionColumns, -1) is int missing and >= 0)
            throw new InvalidInputException($"{file}: no column for decision '{space.Decisions[missing].Name}' (and no '{ArchColumn}' column with the text form); columns: {Known()}");

        var rows = new List<DeclaredArchitecture>(table.Rows.Count);
        var lineOf = new Dictionary<DeclaredArchitecture, int>();
        var search = new double[table.Rows.Count];
        var report = new double[table.Rows.Count];
        for (int r = 0; r < table.Rows.Count; r++)
        {
            int line = table.LineOf(r);
            DeclaredArchitecture arch;
            try
            {
                arch = archColumn >= 0
                    ? space.Parse(table.Text(r, archColumn))
                    : space.Build((d, name) =>
                    {
                        string cell = table.Text(r, decisionColumns[d]).Trim();
                        if (cell.Length == 0) return null;
                        int choice = space.Decisions[d].IndexOfText(cell);
                        return choice >= 0 ? choice
                            : throw new FormatException($"decision '{name}' has '{cell}', expected one of {string.Join(", ", space.Decisions[d].Choices.Select(c => c.Text))}");
                    });
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
        return new UserTableBenchmark(new DeclaredTableSpace(space, rows), file, searchMetric, reportMetric, search, report);
    }

    /// <summary>E.g. "results.csv: 2,048 architectures of my-space, metric val_acc (best 93.1 at line 17)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Source}: {Space.Count:N0} architectures of {Space.Name}, metric {SearchMetric} (best {SearchAccuracy(OptimumIndex):G6}), report {TestMetric}");
}
