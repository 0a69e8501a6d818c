using WeakNas.Strategies;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

public sealed class WeakNasStudySettingsTests
{
    [Fact]
    public void The_sampling_variants_are_stored_and_read_back()
    {
        var options = new WeakNasOptions { Predictors = 3, Greedy = 2, Targets = WeakNasTargets.Rank, PathEncoding = true, GreedyWhenSure = 0.25, Budget = 50 };
        var spec = StudyFixtures.WeakNasSpec("variants") with { WeakNas = WeakNasStudySettings.From(options) };
        var read = StudySpec.FromJson(spec.ToJson()).WeakNas!.ToOptions("nb201", 50);
        Assert.Equal(3, read.Predictors);
        Assert.Equal(2, read.Greedy);
        Assert.Equal(WeakNasTargets.Rank, read.Targets);
        Assert.True(read.PathEncoding);
        Assert.Equal(0.25, read.GreedyWhenSure);
    }

    [Fact]
    public void A_study_stored_before_the_variants_existed_keeps_the_behaviour_it_was_created_with()
    {
        // New studies store all four settings; one stored before they existed has none of them.
        var json = (StudyFixtures.WeakNasSpec("new") with { WeakNas = WeakNasStudySettings.From(new WeakNasOptions { Budget = 50 }) }).ToJson();
        foreach (string key in new[] { "predictors", "greedy", "targets", "path_encoding" }) Assert.Contains($"\"{key}\":", json);
        string stored = StudyFixtures.WeakNasSpec("old").ToJson();
        var read = StudySpec.FromJson(stored).WeakNas!.ToOptions("nb201", 50);
        Assert.Equal(1, read.Predictors);
        Assert.Equal(0, read.Greedy);
        Assert.Equal(WeakNasTargets.Value, read.Targets);
        Assert.False(read.PathEncoding);
        Assert.Null(read.GreedyWhenSure);
        Assert.DoesNotContain("greedy_when_sure", json);
    }
}
