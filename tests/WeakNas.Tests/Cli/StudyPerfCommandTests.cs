using System.Text.RegularExpressions;
using WeakNas.Tests.Studies;

namespace WeakNas.Tests.Cli;

/// <summary>`weaknas study perf`: a real study run by several workers on each storage, reported per window of trials.</summary>
public class StudyPerfCommandTests
{
    public static TheoryData<string> Backends => Studies.Backends.Shared();

    [Theory]
    [MemberData(nameof(Backends))]
    public void Study_perf_runs_the_whole_budget_with_several_workers_and_reports_each_window(string backend)
    {
        using var test = new TestStorage(backend);
        using var folder = new TemporaryFolder();
        string report = Path.Combine(folder.Path, "perf.md");
        var (code, stdout, stderr) = CliRunner.Run("study", "perf", "--storage", test.Url!, "--workers", "3", "--budget", "250", "--window", "100", "--out", report);
        Assert.True(code == 0, stderr);
        var windows = Regex.Matches(stdout, @"^\| ([\d,]+)–([\d,]+) \| (\d+) \| ([\d.]+) \|$", RegexOptions.Multiline);
        Assert.Equal(["1–100", "101–200", "201–250"], windows.Select(m => m.Groups[1].Value + "–" + m.Groups[2].Value));
        Assert.All(windows, m => Assert.True(int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Matches(@"whole run: 250 trials complete in [\d.]+ s, \d+ trials/s; 0 failed, 0 late", stdout);
        Assert.Contains("random, 3 workers", stdout, StringComparison.Ordinal);
        Assert.Equal(stdout, File.ReadAllText(report));
        // The study is a real one: every trial complete, each architecture once, spread over the workers.
        string name = Regex.Match(stdout, @"study '([^']+)'").Groups[1].Value;
        var trials = test.Storage.Trials(name);
        Assert.Equal(250, trials.Count(t => t.State == WeakNas.Studies.TrialState.Complete));
        Assert.Equal(250, trials.Select(t => t.Arch).Distinct().Count());
        Assert.True(trials.Select(t => t.Worker).Distinct().Count() > 1);
    }

    [Fact]
    public void Study_perf_on_its_default_temporary_file_leaves_nothing_behind_and_refuses_bad_options()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "weaknas-perf-*").ToHashSet();
        var (code, stdout, stderr) = CliRunner.Run("study", "perf", "--strategy", "weaknas", "--budget", "30", "--window", "10");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"whole run: 30 trials complete", stdout);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "weaknas-perf-*"), f => !before.Contains(f));
        var memory = CliRunner.Run("study", "perf", "--storage", "memory:", "--workers", "2", "--budget", "20", "--window", "10");
        Assert.True(memory.Code == 0, memory.Err);
        Assert.Matches(@"whole run: 20 trials complete", memory.Out);
        CliRunner.AssertOneLineError(CliRunner.Run("study", "perf", "--workers", "0"), "--workers");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "perf", "--strategy", "nope"), "unknown strategy 'nope'");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "perf", "--window", "1,5"), "--window");
    }
}
