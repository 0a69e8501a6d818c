using WeakNas.Data;
using WeakNas.Numerics;
using WeakNas.Spaces;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Benchmarks;

/// <summary>
/// NAS-Bench-101 (CIFAR-10) over any hash-keyed table of training results: the imported official data
/// (<see cref="Load"/>, <see cref="LoadTable"/>), <c>nb101_sample_1k.json</c> (<see cref="LoadSample"/>) or
/// <c>nb101_api_30.json</c> (<see cref="LoadApiJson"/>).
/// <para>
/// Search metric: the mean over training repeats of the final validation accuracy at 108 epochs, in
/// percent; <see cref="SampleSearchAccuracy"/> draws one repeat's, for seed noise. Report metric: the mean
/// test accuracy at 108 epochs. A table without any test accuracy (the 1k sample has validation accuracy
/// of one repeat only) reports the validation accuracy instead, and <see cref="TestMetric"/> says so:
/// a NaN would poison every mean and cannot be written as JSON.
/// </para>
/// <para>
/// Only cells the table has can be queried, so the space is exactly the table's cells: index i is the
/// table's row i, or, when the benchmark is built over an enumerated space, the table's cells in that
/// space's order. A table of all 423,624 cells gives the whole space, with the official sampling and
/// mutation; a smaller table gives a partial space whose sampling and mutation stay inside it
/// (see <see cref="NasBench101Space"/>).
/// </para>
/// </summary>
public sealed class NasBench101Benchmark : ITabularBenchmark<NasBench101Cell>
{
    /// <summary>The training budget of the search and report metrics.</summary>
    public const int SearchEpochs = 108;

    /// <summary>The 1k sample's file name in the data folder's nasbench101/.</summary>
    public const string SampleFile = "nb101_sample_1k.json";

    /// <summary>The 30-cell API file's name in the data folder's nasbench101/.</summary>
    public const string ApiFile = "nb101_api_30.json";

    private readonly int[] _rowOf;
    private readonly int _budget;
    private readonly double[] _search;
    private readonly double[] _test;

    private NasBench101Benchmark(NasBench101Table table, NasBench101Space space, int[] rowOf)
    {
        Table = table;
        Space = space;
        _rowOf = rowOf;
        _budget = table.BudgetIndex(SearchEpochs);
        if (_budget < 0)
            throw new InvalidInputException($"{Path.GetFileName(table.Source)}: no {SearchEpochs}-epoch results (budgets {string.Join(", ", table.Budgets)})");

        int rows = rowOf.Length;
        _search = new double[rows];
        _test = new double[rows];
        int withTest = 0;
        for (int i = 0; i < rows; i++)
        {
            int row = rowOf[i];
            _search[i] = 100 * Mean(r => table.ValidationAccuracy(row, _budget, r));
            if (double.IsNaN(_search[i]))
                throw new InvalidInputException($"{Path.GetFileName(table.Source)}: cell {table.Hash(row)} has no {SearchEpochs}-epoch validation accuracy");
            _test[i] = 100 * Mean(r => table.TestAccuracy(row, _budget, r));
            if (!double.IsNaN(_test[i])) withTest++;
        }
        HasTestAccuracy = withTest > 0;
        if (HasTestAccuracy && withTest < rows)
            throw new InvalidInputException($"{Path.GetFileName(table.Source)}: {rows - withTest} of {rows} cells have no {SearchEpochs}-epoch test accuracy");
        if (!HasTestAccuracy) Array.Copy(_search, _test, rows);

        int best = 0;
        for (int i = 1; i < rows; i++) if (_search[i] > _search[best]) best = i;
        OptimumIndex = best;

        double Mean(Func<int, double> value)
        {
            double sum = 0;
            int count = 0;
            for (int r = 0; r < table.Repeats; r++)
            {
                double v = value(r);
                if (double.IsNaN(v)) continue;
                sum += v;
                count++;
            }
            return count == 0 ? double.NaN : sum / count;
        }
    }

    /// <summary>
    /// The benchmark over <paramref name="table"/>. Without <paramref name="over"/>, index i is table row i.
    /// With it (normally the whole enumerated space), the indices follow that space's order, keeping the
    /// cells the table has; a table cell missing from <paramref name="over"/> is an error.
    /// </summary>
    public static NasBench101Benchmark FromTable(NasBench101Table table, NasBench101Space? over = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Count == 0) throw new InvalidInputException($"{Path.GetFileName(table.Source)}: the table has no cells");
        if (over == null)
        {
            var space = NasBench101Space.FromTrustedRows(table.Codes.ToArray(), table.Hashes.ToArray(), complete: table.Count == NasBench101Enumerator.CellCount);
            return new NasBench101Benchmark(table, space, Enumerable.Range(0, table.Count).ToArray());
        }

        var rowByHash = new Dictionary<NasBench101Hash, int>(table.Count);
        for (int row = 0; row < table.Count; row++) rowByHash[table.Hash(row)] = row;
        var indices = new List<int>(table.Count);
        var rows = new List<int>(table.Count);
        for (int i = 0; i < over.Count; i++)
        {
            if (!rowByHash.Remove(over.HashAt(i), out int row)) continue;
            indices.Add(i);
            rows.Add(row);
        }
        if (rowByHash.Count > 0)
        {
            var (hash, first) = rowByHash.MinBy(kv => kv.Value);
            throw new InvalidInputException($"{Path.GetFileName(table.Source)}: {rowByHash.Count} cells are not in the space, the first row {first} (hash {hash})");
        }
        return new NasBench101Benchmark(table, over.Select(indices), [.. rows]);
    }

    /// <summary>The imported official table, <c>DATA/nasbench101/nb101_table.bin</c>.</summary>
    public static NasBench101Benchmark Load(string dataFolder, NasBench101Space? over = null)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        string path = NasBench101Table.DefaultPath(dataFolder);
        if (!File.Exists(path))
            throw new InvalidInputException($"NAS-Bench-101 table not found: {path}; import the official data first: weaknas data import nb101 --from nasbench_only108.tfrecord --data {dataFolder}");
        return LoadTable(path, over);
    }

    /// <summary>A table written by the importer (<see cref="NasBench101Table.Write"/>).</summary>
    public static NasBench101Benchmark LoadTable(string path, NasBench101Space? over = null) => FromTable(NasBench101Table.Read(path), over);

    /// <summary><c>nb101_sample_1k.json</c>: 1,000 cells, one repeat, validation accuracy only.</summary>
    public static NasBench101Benchmark LoadSample(string path) => FromTable(NasBench101SampleJson.Read(path));

    /// <summary>An embedded sample (<see cref="SampleFile"/> or <see cref="ApiFile"/>), from <paramref name="data"/>'s folder when it has the file.</summary>
    public static NasBench101Benchmark LoadEmbeddedSample(BenchmarkData data, string file)
    {
        ArgumentNullException.ThrowIfNull(data);
        string relative = NasBench101Table.FolderName + "/" + file;
        byte[] bytes = data.ReadBytes(relative);
        string source = data.FolderFile(relative) ?? file;
        return FromTable(file == ApiFile ? NasBench101ApiJson.Parse(source, bytes) : NasBench101SampleJson.Parse(source, bytes));
    }

    /// <summary><c>nb101_api_30.json</c>: cells in the official API layout with 3 repeats.</summary>
    public static NasBench101Benchmark LoadApiJson(string path) => FromTable(NasBench101ApiJson.Read(path));

    /// <summary>The benchmark's cells: index i is row i of this benchmark.</summary>
    public NasBench101Space Space { get; }

    IEnumerableSearchSpace<NasBench101Cell> ITabularBenchmark<NasBench101Cell>.Space => Space;

    /// <summary>The table the results come from.</summary>
    public NasBench101Table Table { get; }

    /// <summary>NAS-Bench-101 trains on CIFAR-10 only.</summary>
    public string Dataset => "cifar10";

    /// <summary>Mean final validation accuracy at 108 epochs.</summary>
    public string SearchMetric => "val_acc_108ep";

    /// <summary>Mean final test accuracy at 108 epochs, or the validation accuracy when the table has no test accuracy.</summary>
    public string TestMetric => HasTestAccuracy ? "test_acc_108ep" : "val_acc_108ep (this table has no test accuracy)";

    /// <summary>False when the table has no test accuracy and <see cref="TestAccuracy"/> repeats the validation accuracy.</summary>
    public bool HasTestAccuracy { get; }

    /// <inheritdoc />
    public int OptimumIndex { get; }

    /// <summary>True when the table has more than one training repeat to draw from.</summary>
    public bool HasPerSeedSearchAccuracy => Table.Repeats > 1;

    /// <summary>Mean validation accuracy at 108 epochs over the repeats, percent.</summary>
    public double SearchAccuracy(int index) => _search[index];

    /// <summary>Mean test accuracy at 108 epochs over the repeats, percent (see <see cref="TestMetric"/>).</summary>
    public double TestAccuracy(int index) => _test[index];

    /// <summary>One training repeat's validation accuracy at 108 epochs, percent, drawn uniformly among the repeats present.</summary>
    public double SampleSearchAccuracy(int index, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int row = _rowOf[index];
        Span<double> present = stackalloc double[Table.Repeats];
        int count = 0;
        for (int r = 0; r < Table.Repeats; r++)
        {
            double v = Table.ValidationAccuracy(row, _budget, r);
            if (!double.IsNaN(v)) present[count++] = v;
        }
        return 100 * present[rng.NextInt(count)];
    }

    /// <summary>The table row of benchmark index <paramref name="index"/>.</summary>
    public int TableRow(int index) => _rowOf[index];
}
