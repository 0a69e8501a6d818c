using System.Buffers.Binary;
using WeakNas.Cli;
using WeakNas.Studies;

namespace WeakNas.Tests.Cli;

/// <summary>`search --plot` and `study plot`: the best-so-far curves they draw, the files they write, and their refusals.</summary>
public class HistoryPlotsTests
{
    /// <summary>A PNG file of the plots' size (the signature, then the IHDR chunk's width and height).</summary>
    internal static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(620, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    private static Trial T(int number, TrialState state, double? value, long? started, long? finished) =>
        new(number, 0, number, $"a{number}", state, value, value == null ? null : $"{{\"accuracy\": {value}}}", "w", null, 1,
            state == TrialState.Failed ? "broke" : null, 0, started, finished);

    // Trial 0 starts at 1 s and finishes at 3 s with 5; 1 fails; 2 gives 3 (no better); 3 gives 7 at 9 s; 4 is still running.
    private static readonly Trial[] Trials =
    [
        T(0, TrialState.Complete, 5, 1000, 3000),
        T(1, TrialState.Failed, null, 2000, 4000),
        T(2, TrialState.Complete, 3, 3000, 5000),
        T(3, TrialState.Complete, 7, 5000, 9000),
        T(4, TrialState.Running, null, 9000, null),
    ];

    [Fact]
    public void Best_so_far_by_trials_counts_failed_trials_as_spent_and_ends_at_the_last_finished()
    {
        var curve = HistoryPlots.BestByTrials(Trials);
        Assert.Equal([(1.0, 5.0), (2.0, 5.0), (3.0, 5.0), (4.0, 7.0)], curve.Steps);
        Assert.Equal(4, curve.End);
        Assert.True(double.IsNaN(HistoryPlots.At(curve, 0.5)));
        Assert.Equal(5, HistoryPlots.At(curve, 1));
        Assert.Equal(5, HistoryPlots.At(curve, 3.9));
        Assert.Equal(7, HistoryPlots.At(curve, 4));
        // Past the last finished trial the study has no value yet: it is left out of the mean there.
        Assert.True(double.IsNaN(HistoryPlots.At(curve, 4.5)));
    }

    [Fact]
    public void Best_so_far_by_seconds_counts_from_the_first_start_to_each_improvement()
    {
        var curve = HistoryPlots.BestBySeconds(Trials);
        Assert.Equal([(2.0, 5.0), (8.0, 7.0)], curve.Steps);
        Assert.Equal(8, curve.End);
        Assert.True(double.IsNaN(HistoryPlots.At(curve, 1.9)));
        Assert.Equal(5, HistoryPlots.At(curve, 7.9));
        Assert.Equal(7, HistoryPlots.At(curve, 8));
    }

    [Fact]
    public void A_finished_study_keeps_its_best_after_its_end_and_a_running_one_does_not()
    {
        var curve = HistoryPlots.BestByTrials(Trials);
        var running = HistoryPlots.Finished(WeakNas.Tests.Studies.StudyFixtures.RandomSpec("s", budget: 5), Trials, curve);
        Assert.True(double.IsNaN(HistoryPlots.At(running, 10)));
        var done = HistoryPlots.Finished(WeakNas.Tests.Studies.StudyFixtures.RandomSpec("s", budget: 4), Trials, curve);
        Assert.Equal(7, HistoryPlots.At(done, 10));
    }

    [Fact]
    public void Search_plot_writes_the_history_and_with_objectives_the_front_beside_it()
    {
        using var dir = new TemporaryFolder();
        string plot = Path.Combine(dir.Path, "sub", "history.png");
        var run = CliRunner.Run("search", "--strategy", "random", "--budget", "30", "--no-progress", "--plot", plot);
        Assert.True(run.Code == 0, run.Err);
        AssertPng(plot);
        Assert.False(File.Exists(Path.Combine(dir.Path, "sub", "history-front.png")));

        string mo = Path.Combine(dir.Path, "mo.png");
        run = CliRunner.Run("search", "--strategy", "random", "--budget", "30", "--no-progress", "--objectives", "accuracy,params", "--plot", mo);
        Assert.True(run.Code == 0, run.Err);
        AssertPng(mo);
        AssertPng(Path.Combine(dir.Path, "mo-front.png"));
    }

    [Fact]
    public void Search_plot_refuses_a_file_that_is_not_a_png_and_a_folder_before_searching()
    {
        using var dir = new TemporaryFolder();
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--budget", "30", "--plot", Path.Combine(dir.Path, "h.svg")), "--plot '" + Path.Combine(dir.Path, "h.svg") + "' must name a .png file");
        string folder = Directory.CreateDirectory(Path.Combine(dir.Path, "x.png")).FullName;
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--budget", "30", "--plot", folder), "--plot");
    }

    [Fact]
    public void Study_plot_writes_each_history_and_for_several_studies_the_comparisons()
    {
        using var dir = new TemporaryFolder();
        string url = $"sqlite:///{dir.Path}/s.db";
        foreach (var (name, strategy) in new[] { ("a", "random"), ("b", "evolution"), ("c", "random") })
        {
            Assert.Equal(0, CliRunner.Run("study", "create", name, "--storage", url, "--strategy", strategy, "--budget", "12", "--seed", "3").Code);
            var worker = CliRunner.Run("worker", name, "--storage", url, "--benchmark", "cifar10");
            Assert.True(worker.Code == 0, worker.Err);
        }
        string one = Path.Combine(dir.Path, "one");
        var run = CliRunner.Run("study", "plot", "a", "--storage", url, "--out", one);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal(["history-a.png"], Directory.GetFiles(one).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertPng(Path.Combine(one, "history-a.png"));

        string all = Path.Combine(dir.Path, "all");
        run = CliRunner.Run("study", "plot", "a", "b", "c", "--storage", url, "--out", all);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("wrote 5 plots to ", run.Out, StringComparison.Ordinal);
        string[] expected = ["best-by-seconds.png", "best-by-trial.png", "history-a.png", "history-b.png", "history-c.png"];
        Assert.Equal(expected, Directory.GetFiles(all).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string file in expected) AssertPng(Path.Combine(all, file));
    }

    [Fact]
    public void Study_plot_refuses_unknown_repeated_and_differently_measured_studies()
    {
        using var dir = new TemporaryFolder();
        string url = $"sqlite:///{dir.Path}/s.db";
        Assert.Equal(0, CliRunner.Run("study", "create", "a", "--storage", url, "--strategy", "random", "--budget", "12").Code);
        Assert.Equal(0, CliRunner.Run("study", "create", "b", "--storage", url, "--strategy", "random", "--budget", "12", "--metric", "loss").Code);
        string output = Path.Combine(dir.Path, "out");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "plot", "a", "nope", "--storage", url, "--out", output), "no study named 'nope'");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "plot", "a", "a", "--storage", url, "--out", output), "a study is named twice");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "plot", "a", "b", "--storage", url, "--out", output), "the studies maximise different metrics (a: accuracy, b: loss)");
        Assert.False(Directory.Exists(output));
    }
}
