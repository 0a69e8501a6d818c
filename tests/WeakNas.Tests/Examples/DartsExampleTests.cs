using System.Text.Json;
using System.Text.Json.Nodes;
using WeakNas.Numerics;
using WeakNas.Spaces.Darts;
using WeakNas.Studies;
using WeakNas.Tests.Cli;
using WeakNas.Tests.Spaces.Darts;

namespace WeakNas.Tests.Examples;

/// <summary>
/// examples/darts/train_darts.py, DARTS's evaluation network built in PyTorch from the study's file: PyTorch's own
/// parameter count agrees with <see cref="DartsParameters"/> for published and sampled genotypes (with and without
/// none), and a darts search trains real (small) networks with it.
/// </summary>
public class DartsExampleTests
{
    private static readonly string Script = Path.Combine(TestData.RepositoryRoot, "examples", "darts", "train_darts.py");

    /// <summary>The file a darts study gives its command for <paramref name="genotype"/>.</summary>
    private static string ArchFile(TemporaryFolder folder, DartsProvider provider, DartsGenotype genotype, int n)
    {
        var json = new JsonObject { ["arch"] = DartsFormats.Genotype(genotype) };
        provider.Describe(DartsFormats.Genotype(genotype), json);
        string path = Path.Combine(folder.Path, $"arch-{n}.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [TorchFact]
    public void Pytorch_counts_the_same_parameters_as_weaknas_for_published_and_sampled_genotypes()
    {
        using var folder = new TemporaryFolder();
        var rng = new Rng(19);
        var cases = new List<(DartsProvider Provider, DartsGenotype Genotype)>
        {
            (DartsProvider.Instance, DartsSpace.Instance.Parse(DartsSpaceTests.DartsV2)),
            (DartsProvider.Instance, DartsSpace.Instance.Parse(DartsSpaceTests.DartsV1)),
            (DartsProvider.Instance, DartsSpace.Instance.Sample(rng)),
        };
        // A genotype with none edges, one of them in the reduction cell from a cell input (a strided zero).
        DartsGenotype withNone;
        do withNone = DartsSpace.WithNone.Sample(rng);
        while (!withNone.Reduce.Take(2).Any(e => e.Op == DartsOp.None));
        cases.Add((DartsProvider.WithNone, withNone));
        for (int i = 0; i < cases.Count; i++)
        {
            var (provider, genotype) = cases[i];
            var run = Python.Run(Torch.Python3!, [Script, ArchFile(folder, provider, genotype, i), "--count-params"]);
            Assert.True(run.Code == 0, run.Err);
            var counted = JsonDocument.Parse(run.Out).RootElement;
            Assert.Equal(DartsParameters.Count(genotype, DartsParameters.Network.Cifar10), counted.GetProperty("cifar10").GetInt64());
            Assert.Equal(DartsParameters.Count(genotype, DartsParameters.Network.ImageNet1k), counted.GetProperty("imagenet").GetInt64());
        }
    }

    [TorchFact]
    public void A_darts_search_trains_small_networks_on_the_digits()
    {
        using var folder = new TemporaryFolder();
        string db = Path.Combine(folder.Path, "d.db");
        var run = CliRunner.Run("search", "--space", "darts", "--strategy", "random", "--budget", "3", "--candidates", "fresh", "--storage", $"sqlite:///{db}",
            "--evaluate", $"{Torch.Python3} {Script} {{arch_json_file}} --epochs 1 --channels 4 --cells 3");
        Assert.True(run.Code == 0, run.Err);
        using var storage = StudyStorage.Open($"sqlite:///{db}");
        var trials = storage.Trials("search-darts-random-seed0");
        Assert.Equal(3, trials.Count(t => t.State == TrialState.Complete));
        Assert.All(trials, t =>
        {
            var m = JsonDocument.Parse(t.Metrics!).RootElement;
            Assert.InRange(m.GetProperty("accuracy").GetDouble(), 0, 100);
            Assert.True(m.GetProperty("params").GetInt64() > 0);
        });
    }

    [Fact]
    public void The_script_refuses_a_file_that_is_not_a_darts_study_file()
    {
        using var folder = new TemporaryFolder();
        string file = Path.Combine(folder.Path, "arch.json");
        File.WriteAllText(file, """{"arch": "x"}""");
        var run = Python.Run(Torch.Python3 ?? "python3", [Script, file]);
        Assert.Equal(2, run.Code);
        Assert.Contains("train_darts.py: ", run.Err, StringComparison.Ordinal);
        Assert.Contains("expected a darts study's file", run.Err, StringComparison.Ordinal);
    }
}
