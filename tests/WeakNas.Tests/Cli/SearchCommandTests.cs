using System.Text.Json;
using WeakNas.Cli;

namespace WeakNas.Tests.Cli;

public class SearchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string[] Search(params string[] extra) =>
        ["search", "--data", TestData.Folder, "--no-progress", .. extra];

    [Theory]
    [InlineData("unknown space 'nb999'", "--space", "nb999")]
    [InlineData("unknown dataset 'mnist'", "--dataset", "mnist")]
    [InlineData("unknown strategy 'greedy'", "--strategy", "greedy")]
    [InlineData("unknown --noise 'loud'", "--noise", "loud")]
    [InlineData("--budget 5 is below --initial 10", "--budget", "5")]
    [InlineData("--budget must be between 1 and 1000000 evaluations, got 0", "--budget", "0")]
    [InlineData("--budget must be between 1 and 1000000 evaluations, got -3", "--budget", "-3")]
    [InlineData("--top 3 is below --per-iteration 5", "--top", "3")]
    [InlineData("--top 5 is below --per-iteration 10", "--paper", "--top", "5")]
    [InlineData("--explore 6 must be between 0 and --per-iteration 5", "--explore", "6")]
    [InlineData("--stall-widen must be between 1 and 1000, got 0.5", "--stall-widen", "0.5")]
    [InlineData("--stall-patience must be between 0 and 100000 iterations, got -1", "--stall-patience", "-1")]
    [InlineData("--initial must be between 1 and 1000000, got 0", "--initial", "0")]
    [InlineData("--per-iteration must be between 1 and 100000, got 0", "--per-iteration", "0")]
    [InlineData("--epochs must be between 1 and 100000, got 0", "--epochs", "0")]
    [InlineData("--hidden '64,0': layer 2 is '0'", "--hidden", "64,0")]
    [InlineData("--hidden 'big': layer 1 is 'big'", "--hidden", "big")]
    [InlineData("per-seed x-valid accuracies exist only for cifar10", "--dataset", "cifar100", "--noise", "seed")]
    [InlineData("'abc'", "--budget", "abc")]
    [InlineData("--bogus", "--bogus", "1")]
    public void User_errors_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        var (code, stdout, stderr) = Run(Search(args));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Missing_data_folder_is_named()
    {
        var (code, _, stderr) = Run("search", "--data", "/nonexistent/weaknas", "--no-progress");
        Assert.Equal(2, code);
        Assert.Contains("'/nonexistent/weaknas' does not exist", stderr);
    }

    [Fact]
    public void Malformed_data_file_names_file_and_line()
    {
        using var dir = new TemporaryFolder();
        string folder = Path.Combine(dir.Path, "nasbench201");
        Directory.CreateDirectory(folder);
        var lines = File.ReadAllLines(Path.Combine(TestData.Folder, "nasbench201", "nb201_means_200ep.csv"));
        lines[10] = lines[10].Replace("|+|", "|+", StringComparison.Ordinal);
        File.WriteAllLines(Path.Combine(folder, "nb201_means_200ep.csv"), lines);
        var (code, _, stderr) = Run("search", "--data", dir.Path, "--no-progress");
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("weaknas: nb201_means_200ep.csv line 11:", stderr);
    }

    [Fact]
    public void Random_search_writes_the_documented_json_and_the_same_seed_gives_the_same_file()
    {
        using var dir = new TemporaryFolder();
        string a = Path.Combine(dir.Path, "a.json"), b = Path.Combine(dir.Path, "b.json");
        var first = Run(Search("--strategy", "random", "--budget", "40", "--seed", "3", "--out", a));
        Assert.Equal(0, first.Code);
        Assert.Contains("random on nb201/cifar10", first.Out);
        Assert.Equal(0, Run(Search("--strategy", "random", "--budget", "40", "--seed", "3", "--out", b)).Code);

        using var docA = JsonDocument.Parse(File.ReadAllText(a));
        using var docB = JsonDocument.Parse(File.ReadAllText(b));
        var root = docA.RootElement;
        foreach (var key in new[] { "strategy", "space", "dataset", "seed", "budget", "seconds", "queries", "best", "optimum", "found_optimum_at" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal(40, root.GetProperty("queries").GetArrayLength());
        var q0 = root.GetProperty("queries")[0];
        foreach (var key in new[] { "n", "arch", "search_acc", "test_acc" }) Assert.True(q0.TryGetProperty(key, out _), key);
        Assert.Equal(6111, root.GetProperty("optimum").GetProperty("index").GetInt32());
        Assert.Equal(91.6067, root.GetProperty("optimum").GetProperty("search_acc").GetDouble(), 4);
        double bestSearch = root.GetProperty("queries").EnumerateArray().Max(q => q.GetProperty("search_acc").GetDouble());
        Assert.Equal(bestSearch, root.GetProperty("best").GetProperty("search_acc").GetDouble());

        static string WithoutSeconds(string path) =>
            string.Join('\n', File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith("\"seconds\"", StringComparison.Ordinal)));
        Assert.Equal(WithoutSeconds(a), WithoutSeconds(b));
    }

    [Fact]
    public void WeakNas_search_with_a_small_predictor_runs_and_reports_the_optimum()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "w.json");
        var (code, stdout, stderr) = Run(Search("--budget", "300", "--seed", "0", "--hidden", "64,64", "--epochs", "30", "--out", path));
        Assert.True(code == 0, stderr);
        Assert.Contains("weaknas on nb201/cifar10", stdout);
        Assert.Contains("global optimum: index 6111", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var found = doc.RootElement.GetProperty("found_optimum_at");
        if (found.ValueKind == JsonValueKind.Number)
        {
            int at = found.GetInt32();
            Assert.Equal(6111, doc.RootElement.GetProperty("queries")[at - 1].GetProperty("index").GetInt32());
            Assert.Contains($"found the global optimum at query {at}", stdout);
        }
    }

    [Fact]
    public void Progress_goes_to_stderr_when_enabled()
    {
        var (code, _, stderr) = Run("search", "--data", TestData.Folder, "--strategy", "random", "--budget", "50");
        Assert.Equal(0, code);
        Assert.Contains("50/50 queries", stderr);
    }

    [Fact]
    public void NasBench101_search_runs_on_the_1k_sample_table()
    {
        string table = Path.Combine(TestData.Folder, "nasbench101", "nb101_sample_1k.json");
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "nb101.json");
        var (code, stdout, stderr) = Run(Search("--space", "nb101", "--table", table, "--budget", "150", "--hidden", "32,32", "--epochs", "20", "--out", path));
        Assert.True(code == 0, stderr);
        Assert.Contains("weaknas on nb101/cifar10", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(150, doc.RootElement.GetProperty("queries").GetArrayLength());
        Assert.Equal("nb101", doc.RootElement.GetProperty("space").GetString());
    }

    [Theory]
    [InlineData("unknown dataset 'cifar100' for nb101", "--space", "nb101", "--dataset", "cifar100")]
    [InlineData("NAS-Bench-101 table not found: /nonexistent.bin", "--space", "nb101", "--table", "/nonexistent.bin")]
    [InlineData("--budget 5000 exceeds the 1000 architectures", "--space", "nb101", "--budget", "5000", "--table", "SAMPLE")]
    public void NasBench101_user_errors(string expected, params string[] args)
    {
        args = args.Select(a => a == "SAMPLE" ? Path.Combine(TestData.Folder, "nasbench101", "nb101_sample_1k.json") : a).ToArray();
        var (code, _, stderr) = Run(Search(args));
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
    }
}
