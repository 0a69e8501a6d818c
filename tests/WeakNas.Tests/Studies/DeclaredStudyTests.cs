using System.Text.Json;
using WeakNas.Spaces.Declared;
using WeakNas.Studies;
using WeakNas.Tests.Cli;
using WeakNas.Tests.Spaces.Declared;

namespace WeakNas.Tests.Studies;

public class DeclaredStudyTests
{
    private static StudySpec Spec(string name, int pool = 300) => new()
    {
        Name = name, Space = "layers", Declaration = DeclaredSpaces.Layers.ToDeclarationJson(), Pool = pool, PoolSeed = 4,
        Strategy = "random", Seed = 1, Budget = 20, BatchSize = 5,
    };

    [Fact]
    public void A_pool_is_drawn_alike_in_every_process_and_is_the_whole_space_when_small()
    {
        var space = DeclaredSpaces.Layers;
        var a = space.Pool(300, 4);
        var b = DeclaredSpaceFile.Parse(space.ToDeclarationJson(), "stored").Pool(300, 4);
        Assert.Equal(a.Select(space.Format), b.Select(space.Format));
        Assert.Equal(300, a.Distinct().Count());
        Assert.NotEqual(a.Select(space.Format), space.Pool(300, 5).Select(space.Format));
        var all = DeclaredSpaces.Stages.Pool(1_000_000, 0);
        Assert.Equal((int)DeclaredSpaces.Stages.CountArchitectures(), all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void The_declaration_round_trips_through_its_stored_json()
    {
        foreach (var space in new[] { DeclaredSpaces.Stages, DeclaredSpaces.Layers, DeclaredSpaces.Nb201 })
        {
            var again = DeclaredSpaceFile.Parse(space.ToDeclarationJson(), "stored");
            Assert.Equal(space.ToDeclarationJson(), again.ToDeclarationJson());
            Assert.Equal(space.CountArchitectures(), again.CountArchitectures());
        }
    }

    [Fact]
    public void A_declared_study_proposes_pool_members_and_its_command_gets_the_decisions()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, Spec("declared"));
        var asked = study.Ask(5, "w");
        var pool = DeclaredSpaces.Layers.Pool(300, 4).Select(DeclaredSpaces.Layers.Format).ToHashSet();
        Assert.All(asked, t => Assert.Contains(t.Arch, pool));
        var json = JsonDocument.Parse(CommandTrialEvaluator.ArchitectureJson(study.Spec, asked[0])).RootElement;
        Assert.Equal("layers", json.GetProperty("space").GetString());
        Assert.Equal(DeclaredSpaces.Layers.Parse(asked[0].Arch), DeclaredSpaces.Layers.Parse(json.GetProperty("decisions").GetRawText()));
        Assert.Equal(JsonValueKind.String, json.GetProperty("decisions").GetProperty("layer1").ValueKind);
        // Another process rebuilds the same study and goes on with the same proposals.
        var again = Study.Load(storage, "declared");
        Assert.Equal(asked.Select(t => t.Arch), again.Trials().Select(t => t.Arch));
    }

    [Theory]
    [InlineData(0, "a declared study's pool must hold 1 to 1,000,000 architectures, got 0")]
    [InlineData(2_000_000, "a declared study's pool must hold 1 to 1,000,000 architectures, got 2000000")]
    public void Pool_sizes_are_bounded(int pool, string expected)
    {
        using var storage = new MemoryStudyStorage();
        var e = Assert.Throws<InvalidInputException>(() => Study.Create(storage, Spec("bad", pool)));
        Assert.StartsWith(expected, e.Message);
    }

    /// <summary>
    /// `search --evaluate` with a real command, killed with SIGKILL while it trains and started again: it resumes from
    /// the storage, every evaluation that finished is recorded once, and none of them is run again.
    /// </summary>
    [Fact]
    public void An_evaluated_search_survives_a_kill_and_resumes_without_repeating_finished_evaluations()
    {
        using var dir = new TemporaryFolder();
        string space = Path.Combine(dir.Path, "layers.json");
        File.WriteAllText(space, DeclaredSpaces.Layers.ToDeclarationJson());
        string log = Path.Combine(dir.Path, "finished.log");
        // The evaluator trains for a moment, prints its result and logs the trial it finished.
        string script = Path.Combine(dir.Path, "train.sh");
        File.WriteAllText(script, "#!/bin/sh\nsleep 0.25\nacc=$(wc -c < \"$1\")\necho \"{\\\"accuracy\\\": $acc}\"\necho \"$WEAKNAS_TRIAL\" >> " + log + "\n");
        string db = Path.Combine(dir.Path, "search.db");
        string[] args = ["search", "--space", space, "--evaluate", $"sh {script} {{arch_json_file}}", "--budget", "14", "--strategy", "random", "--grace", "1",
            "--storage", $"sqlite:///{db}", "--out", Path.Combine(dir.Path, "result.json")];
        using (var first = new CliProcess(args))
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while ((!File.Exists(log) || File.ReadAllLines(log).Length < 4) && DateTime.UtcNow < deadline && !first.HasExited) Thread.Sleep(20);
            Assert.False(first.HasExited, first.ToString());
            first.Kill();
        }
        int finishedBeforeKill = File.ReadAllLines(log).Length;
        using (var second = new CliProcess(args))
        {
            Assert.True(second.WaitForExit(TimeSpan.FromMinutes(2)), second.ToString());
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("search: resuming study 'search-layers-random-seed0'", second.Stderr);
        }
        using var storage = StudyStorage.Open($"sqlite:///{db}");
        var trials = storage.Trials("search-layers-random-seed0");
        Assert.Equal(14, trials.Count(t => t.State == TrialState.Complete));
        Assert.Equal(14, trials.Select(t => t.Arch).Distinct().Count());
        var finished = File.ReadAllLines(log).Select(int.Parse).ToList();
        // A trial killed mid-training may run again; one whose result was recorded never does.
        Assert.InRange(finished.Count, 14, 15);
        Assert.True(finished.Count - finished.Distinct().Count() <= 1, string.Join(",", finished));
        Assert.True(finishedBeforeKill >= 4);
        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "result.json"))).RootElement;
        Assert.Equal(14, result.GetProperty("trials").GetArrayLength());
    }

    [Fact]
    public void Evaluate_options_are_refused_where_they_do_not_apply()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--pool", "10", "--no-progress"), "--pool applies to a declared space searched with --evaluate");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "x", "--storage", "sqlite:///:memory:", "--pool", "10"), "--pool and --pool-seed apply to a declared space (--space FILE), not to nb201");
    }
}
