using WeakNas.Experiments;

namespace WeakNas.Tests.Experiments;

public class RunLogTests
{
    private static RunRecord Record(ulong seed, int? found = 3) => new()
    {
        Space = "nb201", Dataset = "cifar10", Strategy = "random", Seed = seed, Budget = 4, StopAtOptimum = false,
        FoundOptimumAt = found, Seconds = 0.5, Search = [80, 91, 85, 91.6], Test = [84, 93, 94.1, 94.3],
    };

    [Fact]
    public void Appended_runs_read_back_equal()
    {
        using var dir = new TemporaryFolder();
        var log = new RunLog(Path.Combine(dir.Path, "runs.jsonl"));
        log.Append(Record(1));
        log.Append(Record(2, null));
        var runs = log.Read();
        Assert.Equal(2, runs.Count);
        Assert.Equal(Record(1).Search, runs[0].Search);
        Assert.Null(runs[1].FoundOptimumAt);
        Assert.Equal("cifar10/random/2", runs[1].Key);
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_overwritten_by_the_next_append()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "runs.jsonl");
        var log = new RunLog(path);
        log.Append(Record(1));
        File.AppendAllText(path, "{\"space\":\"nb201\",\"dataset\":\"cifa");
        Assert.Single(log.Read());
        log.Append(Record(2));
        var runs = log.Read();
        Assert.Equal([1UL, 2UL], runs.Select(r => r.Seed));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_damaged_line_in_the_middle_names_its_line()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "runs.jsonl");
        var log = new RunLog(path);
        log.Append(Record(1));
        File.AppendAllText(path, "garbage\n");
        log.Append(Record(2));
        var e = Assert.Throws<InvalidInputException>(() => log.Read());
        Assert.Contains("runs.jsonl line 2", e.Message);
    }

    [Fact]
    public void Test_accuracy_at_n_queries_under_both_definitions()
    {
        var r = Record(1);
        Assert.Equal(84, r.TestAccuracyAt(1, optimistic: false));
        Assert.Equal(93, r.TestAccuracyAt(3, optimistic: false));   // best validation among 3 is 91 → test 93
        Assert.Equal(94.1, r.TestAccuracyAt(3, optimistic: true));  // best test among 3
        Assert.Equal(94.3, r.TestAccuracyAt(10, optimistic: false)); // past the end: the final best
    }
}
