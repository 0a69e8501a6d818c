using System.Globalization;
using System.Text;
using System.Text.Json;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Numerics;
using WeakNas.Spaces.Declared;
using WeakNas.Strategies;
using WeakNas.Tests.Cli;
using WeakNas.Tests.Spaces.Declared;

namespace WeakNas.Tests.Benchmarks;

public class UserTableBenchmarkTests
{
    /// <summary>NAS-Bench-201's CIFAR-10 table as a user would write it: one column per edge, then the metrics.</summary>
    private static string Nb201Table(string folder)
    {
        var bench = NasBench201Benchmark.Load(TestData.Folder, "cifar10");
        var text = new StringBuilder(string.Join(",", DeclaredSpaces.Nb201Edges) + ",val,test\n");
        for (int i = 0; i < bench.Space.Count; i++)
        {
            var cell = bench.Space[i];
            for (int e = 0; e < 6; e++) text.Append(DeclaredSpaces.Nb201Ops[(int)cell[e]]).Append(',');
            text.Append(bench.SearchAccuracy(i).ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(bench.TestAccuracy(i).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        string path = Path.Combine(folder, "nb201-cifar10.csv");
        File.WriteAllText(path, text.ToString());
        File.WriteAllText(Path.Combine(folder, "nb201.json"), DeclaredSpaces.Nb201Json);
        return path;
    }

    [Fact]
    public void The_declared_nb201_cell_over_its_table_searches_as_the_built_in_space()
    {
        using var dir = new TemporaryFolder();
        string table = Nb201Table(dir.Path);
        string space = Path.Combine(dir.Path, "nb201.json");
        foreach (var (strategy, seed) in new[] { ("weaknas", "1001"), ("random", "3") })
        {
            string declaredOut = Path.Combine(dir.Path, $"{strategy}-declared.json"), builtInOut = Path.Combine(dir.Path, $"{strategy}-builtin.json");
            // WeakNAS as the published run was made: fitted to the values (the default before rank targets).
            string[] extra = strategy == "weaknas" ? ["--targets", "value"] : [];
            var (code, _, stderr) = CliRunner.Run(["search", "--space", space, "--table", table, "--metric", "val", "--report-metric", "test",
                "--strategy", strategy, "--seed", seed, "--budget", "300", "--stop-at-optimum", "--no-progress", "--out", declaredOut, .. extra]);
            Assert.True(code == 0, stderr);
            (code, _, stderr) = CliRunner.Run(["search", "--data", TestData.Folder, "--strategy", strategy, "--seed", seed, "--budget", "300", "--stop-at-optimum", "--no-progress", "--out", builtInOut, .. extra]);
            Assert.True(code == 0, stderr);
            var declared = JsonDocument.Parse(File.ReadAllText(declaredOut)).RootElement;
            var builtIn = JsonDocument.Parse(File.ReadAllText(builtInOut)).RootElement;
            // Row i is benchmark index i and the one-hot is the built-in one: the same queries, index by index.
            Assert.Equal(builtIn.GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("index").GetInt32()),
                declared.GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("index").GetInt32()));
            Assert.Equal(builtIn.GetProperty("found_optimum_at").ToString(), declared.GetProperty("found_optimum_at").ToString());
            Assert.Equal("nb201-declared", declared.GetProperty("space").GetString());
        }
        // docs/results/data/nb201-runs.csv: cifar10,weaknas,1001,78,80 (the default of then, --targets value)
        Assert.Equal(78, JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "weaknas-declared.json"))).RootElement.GetProperty("found_optimum_at").GetInt32());
    }

    /// <summary>A learnable metric over 6 layers × 4 blocks: per-layer preferences plus one interaction of neighbours.</summary>
    private static double Score(DeclaredArchitecture a)
    {
        double[,] prefer = { { 1.0, 0.6, 0.2, 0.0 }, { 0.4, 1.0, 0.1, 0.3 }, { 0.2, 0.5, 1.0, 0.0 }, { 1.0, 0.2, 0.4, 0.6 }, { 0.1, 0.3, 0.6, 1.0 }, { 0.5, 1.0, 0.0, 0.2 } };
        double score = 0;
        for (int l = 0; l < 6; l++) score += prefer[l, a[l]];
        for (int l = 0; l + 1 < 6; l++) if (a[l] == a[l + 1]) score -= 0.15;
        return 80 + 2 * score;
    }

    private static string LayersTable(string folder, int rows)
    {
        var space = DeclaredSpaces.Layers;
        var rng = new Rng(11);
        var chosen = new HashSet<DeclaredArchitecture>();
        while (chosen.Count < rows) chosen.Add(space.Sample(rng));
        // The text form in one quoted column, as a script would dump it.
        var text = new StringBuilder("arch,accuracy,test_accuracy\n");
        foreach (var a in chosen)
        {
            double score = Score(a);
            text.Append('"').Append(space.Format(a).Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",")
                .Append(score.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append((score - 0.5).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        string path = Path.Combine(folder, "layers.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Every_strategy_searches_a_declared_space_over_a_table_and_weaknas_needs_fewer_queries_than_random()
    {
        using var dir = new TemporaryFolder();
        string tablePath = LayersTable(dir.Path, 3000);
        var benchmark = UserTableBenchmark.Load(DeclaredSpaces.Layers, tablePath, "accuracy", "test_accuracy");
        Assert.Equal(3000, benchmark.Space.Count);
        var encodings = DeclaredSetup.Encodings(benchmark);
        var small = new WeakNasOptions { Budget = 3000, Predictor = new WeakNasOptions().Predictor with { HiddenLayers = [64, 64], MaxEpochs = 50 } };
        double Mean(string strategy, int seeds) => Enumerable.Range(0, seeds).Average(seed =>
        {
            var chosen = StrategyFactory.Create(strategy, benchmark.Space, encodings, (ulong)seed, small);
            var result = SearchRunner.Run(benchmark, chosen, 3000, (ulong)seed, stopAtOptimum: true);
            Assert.True(result.FoundOptimumAt != null, $"{strategy} seed {seed} never reached the optimum of a 3,000-row table in 3,000 queries");
            return result.FoundOptimumAt!.Value;
        });
        foreach (string strategy in StrategyFactory.Names) _ = Mean(strategy, 1);
        double weakNas = Mean("weaknas", 10), random = Mean("random", 10);
        Assert.True(weakNas < random / 3, $"weaknas {weakNas} queries on average, random {random}");
    }

    [Theory]
    [InlineData("layer1,layer2,layer3,layer4,layer5,layer6,accuracy\nconv3,conv3,conv3,conv3,conv3,conv9,1\n", "t.csv line 2: decision 'layer6' has 'conv9', expected one of conv3, conv5, pool, skip")]
    [InlineData("layer1,layer2,layer3,layer4,layer5,accuracy\nconv3,conv3,conv3,conv3,conv3,1\n", "t.csv: no column for decision 'layer6' (and no 'arch' column with the text form)")]
    [InlineData("layer1,layer2,layer3,layer4,layer5,layer6,acc\nconv3,conv3,conv3,conv3,conv3,conv3,1\n", "t.csv: no metric column 'accuracy' (--metric); columns: layer1")]
    [InlineData("layer1,layer2,layer3,layer4,layer5,layer6,accuracy\nconv3,conv3,conv3,conv3,conv3,conv3,x\n", "t.csv line 2: column 'accuracy' has 'x', expected a number")]
    [InlineData("layer1,layer2,layer3,layer4,layer5,layer6,accuracy\nconv3,conv3,conv3,conv3,conv3,conv3,1\nconv3,conv3,conv3,conv3,conv3,conv3,2\n", "t.csv line 3: the same architecture as line 2")]
    [InlineData("arch,accuracy\n\"{\"\"layer1\"\": \"\"conv3\"\"}\",1\n", "t.csv line 2: decision 'layer2' is missing")]
    [InlineData("arch,accuracy\n\"{\"\"layer1\"\": 1\n", "t.csv line 2: a quoted field is not closed")]
    [InlineData("arch,accuracy\n\"{\"\"layer1\": 1\n", "t.csv line 2: text after a closing quote")]
    [InlineData("layer1,layer2,layer3,layer4,layer5,layer6,accuracy\n", "t.csv: the table has no rows")]
    public void Table_errors_name_the_file_line_and_value(string csv, string expected)
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "t.csv");
        File.WriteAllText(path, csv);
        var e = Assert.Throws<InvalidInputException>(() => UserTableBenchmark.Load(DeclaredSpaces.Layers, path, "accuracy"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Empty_cells_are_decisions_switched_off()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "stages.csv");
        File.WriteAllText(path, "width,depth1,s1b1,s1b2,s1b3,depth2,s2b1,s2b2,s2b3,se,accuracy\n"
            + "16,1,conv3x3,,,1,mbconv,,,,71.5\n"
            + "64,3,conv3x3,conv5x5,mbconv,3,mbconv,conv3x3,mbconv,false,75.25\n");
        var table = UserTableBenchmark.Load(DeclaredSpaces.Stages, path, "accuracy");
        Assert.Equal(1, table.OptimumIndex);
        Assert.Equal("""{"width":16,"depth1":1,"s1b1":"conv3x3","depth2":1,"s2b1":"mbconv"}""", table.Space.Format(table.Space[0]));
        Assert.Equal(75.25, table.TestAccuracy(1));
    }

    [Fact]
    public void The_cli_refuses_a_declared_space_without_a_table_and_table_options_for_a_built_in_space()
    {
        using var dir = new TemporaryFolder();
        string space = Path.Combine(dir.Path, "layers.json");
        File.WriteAllText(space, "{\"decisions\": {\"a\": {\"choices\": [1, 2]}}}");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", space, "--no-progress"), "a declared space is searched over a table of its architectures: pass --table FILE.csv");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--metric", "val", "--no-progress"), "--metric applies to a declared space's table (--space FILE --table FILE), not to nb201");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", Path.Combine(dir.Path, "none.yaml"), "--no-progress"), "space declaration not found");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", space, "--table", Path.Combine(dir.Path, "none.csv"), "--no-progress"), $"--table {Path.Combine(dir.Path, "none.csv")} does not exist");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", space, "--table", Path.Combine(dir.Path, "none.csv"), "--dataset", "cifar100", "--no-progress"),
            "--dataset does not apply to a table of your own: the table (--table) is the dataset");
    }

    [Fact]
    public void Nas_bench_201_results_of_ones_own_are_searched_over_their_rows()
    {
        using var dir = new TemporaryFolder();
        var bench = NasBench201Benchmark.Load(TestData.Folder, "cifar10");
        var rng = new Rng(3);
        var rows = Enumerable.Range(0, bench.Space.Count).ToArray();
        rng.Shuffle(rows.AsSpan());
        var text = new StringBuilder("arch_str,my_acc\n");
        foreach (int i in rows.Take(2000))
            text.Append(bench.Space.Format(bench.Space[i])).Append(',').Append(bench.SearchAccuracy(i).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        string path = Path.Combine(dir.Path, "mine.csv");
        File.WriteAllText(path, text.ToString());
        string output = Path.Combine(dir.Path, "r.json");
        var (code, stdout, stderr) = CliRunner.Run("search", "--space", "nb201", "--table", path, "--metric", "my_acc", "--budget", "2000", "--stop-at-optimum", "--no-progress", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("mine.csv: 2,000 architectures of nb201", stderr);
        var result = JsonDocument.Parse(File.ReadAllText(output)).RootElement;
        int best = rows.Take(2000).MaxBy(bench.SearchAccuracy);
        Assert.Equal(bench.Space.Format(bench.Space[best]), result.GetProperty("optimum").GetProperty("arch").GetString());
        Assert.True(result.GetProperty("found_optimum_at").GetInt32() < 400, stdout);

        File.WriteAllText(path, "cell,my_acc\nx,1\n");
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "nb201", "--table", path, "--metric", "my_acc", "--no-progress"),
            "mine.csv: no 'arch' column with each architecture's nb201 text form; columns: cell, my_acc");
    }
}
