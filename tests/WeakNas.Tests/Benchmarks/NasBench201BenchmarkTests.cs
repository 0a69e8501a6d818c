using WeakNas.Benchmarks;
using WeakNas.Numerics;

namespace WeakNas.Tests.Benchmarks;

public class NasBench201BenchmarkTests
{
    [Theory]
    [InlineData("cifar10", 6111, 91.6067, 6111, 94.3733)]
    [InlineData("cifar100", 9930, 73.4933, 9930, 73.5133)]
    [InlineData("imagenet16-120", 10676, 46.7333, 857, 47.3111)]
    public void Knows_the_published_optima(string dataset, int searchBest, double searchValue, int testBest, double testValue)
    {
        var benchmark = NasBench201Benchmark.Load(TestData.Folder, dataset);
        Assert.Equal(searchBest, benchmark.OptimumIndex);
        Assert.Equal(searchValue, benchmark.SearchAccuracy(benchmark.OptimumIndex), 4);
        int bestTest = Enumerable.Range(0, benchmark.Space.Count).MaxBy(benchmark.TestAccuracy);
        Assert.Equal(testBest, bestTest);
        Assert.Equal(testValue, benchmark.TestAccuracy(bestTest), 4);
    }

    [Fact]
    public void Seed_noise_draws_one_of_the_training_seeds_whose_mean_is_the_table_mean()
    {
        var benchmark = NasBench201Benchmark.Load(TestData.Folder, "cifar10", perSeed: true);
        var rng = new Rng(4);
        var seen = new HashSet<double>();
        for (int i = 0; i < 200; i++) seen.Add(benchmark.SampleSearchAccuracy(6111, rng));
        Assert.InRange(seen.Count, 2, 3);
        Assert.Equal(benchmark.SearchAccuracy(6111), seen.Average(), 3);
    }

    [Fact]
    public void Seed_noise_is_refused_where_no_per_seed_data_exists()
    {
        var e = Assert.Throws<InvalidInputException>(() => NasBench201Benchmark.Load(TestData.Folder, "cifar100", perSeed: true));
        Assert.Contains("only for cifar10", e.Message);
    }

    [Fact]
    public void Evaluator_counts_each_distinct_architecture_once_and_repeats_are_free()
    {
        var benchmark = NasBench201Benchmark.Load(TestData.Folder, "cifar10", perSeed: true);
        var evaluator = new TabularEvaluator<WeakNas.Spaces.NasBench201.NasBench201Cell>(benchmark, NoiseMode.Seed, new Rng(1));
        var first = evaluator.Evaluate(42);
        Assert.Equal(first, evaluator.Evaluate(42));
        evaluator.Evaluate(43);
        Assert.Equal(2, evaluator.Queries);
    }

    [Fact]
    public void Unknown_dataset_is_named()
    {
        var e = Assert.Throws<InvalidInputException>(() => NasBench201Benchmark.Load(TestData.Folder, "mnist"));
        Assert.Contains("'mnist'", e.Message);
        Assert.Contains("cifar10, cifar100, imagenet16-120", e.Message);
    }

    [Fact]
    public void Missing_table_names_the_file()
    {
        using var dir = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(dir.Path, "nasbench201"));
        var e = Assert.Throws<InvalidInputException>(() => NasBench201Benchmark.Load(dir.Path, "cifar10"));
        Assert.Contains(NasBench201Benchmark.MeansFile, e.Message);
    }

    [Theory]
    [InlineData("91.5", "abc", "line 5: column 'c10valid_xvalid_acc' has 'abc'")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", null, "line 5: index 3 holds")]
    [InlineData("|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|", null, "line 5:")]
    public void Malformed_row_names_file_and_line(string replaceArchOrUnused, string? replaceSearch, string expected)
    {
        using var dir = new TemporaryFolder();
        string folder = Path.Combine(dir.Path, "nasbench201");
        Directory.CreateDirectory(folder);
        var lines = File.ReadAllLines(Path.Combine(TestData.Folder, "nasbench201", NasBench201Benchmark.MeansFile));
        var header = lines[0].Split(',');
        var fields = lines[4].Split(',');  // line 5 of the file: index 3
        if (replaceSearch != null) fields[Array.IndexOf(header, "c10valid_xvalid_acc")] = replaceSearch;
        else fields[1] = replaceArchOrUnused;
        lines[4] = string.Join(',', fields);
        File.WriteAllLines(Path.Combine(folder, NasBench201Benchmark.MeansFile), lines);

        var e = Assert.Throws<InvalidInputException>(() => NasBench201Benchmark.Load(dir.Path, "cifar10"));
        Assert.StartsWith(NasBench201Benchmark.MeansFile, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Truncated_table_is_reported()
    {
        using var dir = new TemporaryFolder();
        string folder = Path.Combine(dir.Path, "nasbench201");
        Directory.CreateDirectory(folder);
        var lines = File.ReadAllLines(Path.Combine(TestData.Folder, "nasbench201", NasBench201Benchmark.MeansFile));
        File.WriteAllLines(Path.Combine(folder, NasBench201Benchmark.MeansFile), lines.Take(100));
        var e = Assert.Throws<InvalidInputException>(() => NasBench201Benchmark.Load(dir.Path, "cifar10"));
        Assert.Contains("no row for index", e.Message);
    }
}
