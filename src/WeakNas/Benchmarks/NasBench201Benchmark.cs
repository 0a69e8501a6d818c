using WeakNas.Numerics;
using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Benchmarks;

/// <summary>
/// NAS-Bench-201 (200-epoch results) for CIFAR-10, CIFAR-100 and ImageNet16-120, read from
/// <c>nasbench201/nb201_means_200ep.csv</c> and, for CIFAR-10 per-seed noise, <c>nb201_perseed_200ep.csv</c>.
/// Search metric: x-valid accuracy. Report metric: CIFAR-10 test accuracy of the model trained on train+valid
/// (the number papers report), CIFAR-100 and ImageNet16-120 x-test accuracy.
/// </summary>
public sealed class NasBench201Benchmark : ITabularBenchmark<NasBench201Cell>
{
    public const string MeansFile = "nb201_means_200ep.csv";
    public const string PerSeedFile = "nb201_perseed_200ep.csv";

    /// <summary>The tables' paths inside a data folder.</summary>
    public const string MeansPath = "nasbench201/" + MeansFile, PerSeedPath = "nasbench201/" + PerSeedFile;

    /// <summary>The datasets, with their search and report columns.</summary>
    public static IReadOnlyDictionary<string, (string Search, string Test)> Datasets { get; } =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["cifar10"] = ("c10valid_xvalid_acc", "c10_oritest_acc"),
            ["cifar100"] = ("c100_xvalid_acc_derived", "c100_xtest_acc"),
            ["imagenet16-120"] = ("in16_xvalid_acc_derived", "in16_xtest_acc"),
        };

    /// <summary>Each dataset's parameter column (millions): the classifier's width depends on the number of classes.</summary>
    public static IReadOnlyDictionary<string, string> ParameterColumns { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cifar10"] = "params_mb_c10",
            ["cifar100"] = "params_mb_c100",
            ["imagenet16-120"] = "params_mb_in16",
        };

    private readonly double[] _search;
    private readonly double[] _test;
    private readonly double[] _parameters;
    private readonly double[][]? _perSeed;

    private NasBench201Benchmark(string dataset, string searchMetric, string testMetric, double[] search, double[] test, double[] parameters, double[][]? perSeed)
    {
        Dataset = dataset;
        SearchMetric = searchMetric;
        TestMetric = testMetric;
        _search = search;
        _test = test;
        _parameters = parameters;
        _perSeed = perSeed;
        OptimumIndex = Statistics.ArgMax(search);
    }

    public IEnumerableSearchSpace<NasBench201Cell> Space => NasBench201Space.Instance;
    public string Dataset { get; }
    public string SearchMetric { get; }
    public string TestMetric { get; }
    public int OptimumIndex { get; }
    public bool HasPerSeedSearchAccuracy => _perSeed != null;

    public double SearchAccuracy(int index) => _search[index];

    public double TestAccuracy(int index) => _test[index];

    /// <summary>Parameters of the network for this dataset, in millions (the table's <c>params_mb_*</c> column).</summary>
    public double Parameters(int index) => _parameters[index];

    public double SampleSearchAccuracy(int index, Rng rng)
    {
        if (_perSeed == null)
            throw new InvalidOperationException($"per-seed {SearchMetric} is not loaded for {Dataset}");
        var seeds = _perSeed[index];
        return seeds[rng.NextInt(seeds.Length)];
    }

    /// <summary>
    /// Loads the tables from <paramref name="dataFolder"/>/nasbench201. With <paramref name="perSeed"/>, also loads
    /// single-seed search accuracies (CIFAR-10 only: the other datasets have none per seed).
    /// </summary>
    public static NasBench201Benchmark Load(string dataFolder, string dataset, bool perSeed = false) =>
        Load(BenchmarkData.FromFolder(dataFolder), dataset, perSeed);

    /// <summary>Loads the tables from <paramref name="data"/>: its folder's files, else the embedded copies.</summary>
    public static NasBench201Benchmark Load(BenchmarkData data, string dataset, bool perSeed = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!Datasets.TryGetValue(dataset, out var columns))
            throw new InvalidInputException($"unknown NAS-Bench-201 dataset '{dataset}'; expected one of {string.Join(", ", Datasets.Keys)}");
        if (perSeed && dataset != "cifar10")
            throw new InvalidInputException($"--noise seed: per-seed x-valid accuracies exist only for cifar10, not {dataset}; use --noise mean");

        var space = NasBench201Space.Instance;
        var means = data.ReadTable(MeansPath);
        int indexColumn = means.Column("index"), archColumn = means.Column("arch_str");
        int searchColumn = means.Column(columns.Search), testColumn = means.Column(columns.Test);
        int parameterColumn = means.Column(ParameterColumns[dataset]);
        var search = new double[space.Count];
        var test = new double[space.Count];
        var parameters = new double[space.Count];
        var seen = new bool[space.Count];
        for (int row = 0; row < means.Rows.Count; row++)
        {
            int index = CheckedIndex(means, row, indexColumn, archColumn, space);
            if (seen[index])
                throw new InvalidInputException($"{means.FileName} line {means.LineOf(row)}: index {index} appears twice");
            seen[index] = true;
            search[index] = means.Number(row, searchColumn);
            test[index] = means.Number(row, testColumn);
            parameters[index] = means.Number(row, parameterColumn);
        }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
            throw new InvalidInputException($"{means.FileName}: no row for index {missing} ({means.Rows.Count} rows, expected {space.Count})");

        double[][]? seeds = null;
        if (perSeed)
        {
            var table = data.ReadTable(PerSeedPath);
            int idx = table.Column("index"), arch = table.Column("arch_str"), value = table.Column(columns.Search);
            var lists = new List<double>[space.Count];
            for (int row = 0; row < table.Rows.Count; row++)
            {
                int index = CheckedIndex(table, row, idx, arch, space);
                (lists[index] ??= []).Add(table.Number(row, value));
            }
            seeds = new double[space.Count][];
            for (int i = 0; i < space.Count; i++)
                seeds[i] = lists[i]?.ToArray() ?? throw new InvalidInputException($"{table.FileName}: no per-seed row for index {i}");
        }
        return new NasBench201Benchmark(dataset, columns.Search, columns.Test, search, test, parameters, seeds);
    }

    /// <summary>The row's index, checked to be in range and to hold the cell its arch_str names.</summary>
    internal static int CheckedIndex(CsvTable table, int row, int indexColumn, int archColumn, NasBench201Space space)
    {
        int index = table.Integer(row, indexColumn);
        if (index < 0 || index >= space.Count)
            throw new InvalidInputException($"{table.FileName} line {table.LineOf(row)}: index {index} is outside 0..{space.Count - 1}");
        string arch = table.Text(row, archColumn);
        NasBench201Cell cell;
        try
        {
            cell = space.Parse(arch);
        }
        catch (FormatException e)
        {
            throw new InvalidInputException($"{table.FileName} line {table.LineOf(row)}: {e.Message}", e);
        }
        if (space.IndexOf(cell) != index)
            throw new InvalidInputException($"{table.FileName} line {table.LineOf(row)}: index {index} holds {arch}, which is index {space.IndexOf(cell)} of NAS-Bench-201");
        return index;
    }
}
