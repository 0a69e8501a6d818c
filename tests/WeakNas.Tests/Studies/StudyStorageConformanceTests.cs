using Microsoft.Data.Sqlite;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>The contract of <see cref="IStudyStorage"/>, checked on every backend.</summary>
public class StudyStorageConformanceTests
{
    public static TheoryData<string> Backends => Studies.Backends.All();

    private static StudySpec Spec(string name, int budget = 100) => new()
    {
        Name = name, Space = "nb201", Strategy = "random", Seed = 5, Budget = budget, BatchSize = 10, GraceSeconds = 30,
        MaxAttempts = 3, CreatedMs = 1_700_000_000_000,
    };

    private static Trial Waiting(int number, int arch, int batch = 0) =>
        new(number, batch, arch, $"arch-{arch}", TrialState.Waiting, null, null, null, null, 0, null, 1_000 + number, null, null);

    private static List<Trial> Batch(int first, int count, int archOffset = 100, int batch = 0) =>
        Enumerable.Range(first, count).Select(n => Waiting(n, archOffset + n, batch)).ToList();

    private static (TestStorage Test, IStudyStorage Storage, string Study) NewStudy(string backend, int trials = 0)
    {
        var test = new TestStorage(backend);
        string name = test.NewName();
        test.Storage.CreateStudy(Spec(name));
        if (trials > 0) Assert.True(test.Storage.AddTrials(name, 0, Batch(0, trials)));
        return (test, test.Storage, name);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Created_studies_are_found_and_listed(string backend)
    {
        using var test = new TestStorage(backend);
        var s = test.Storage;
        string a = test.NewName(), b = test.NewName();
        var specA = Spec(a) with { Strategy = "weaknas", WeakNas = new WeakNasStudySettings { Hidden = [32, 16], Epochs = 7, Explore = 2 } };
        s.CreateStudy(specA);
        s.CreateStudy(Spec(b, budget: 7));

        Assert.Equal(specA.ToJson(), s.FindStudy(a)!.ToJson());
        Assert.Equal([32, 16], s.FindStudy(a)!.WeakNas!.Hidden!);
        Assert.Equal(7, s.FindStudy(b)!.Budget);
        Assert.Null(s.FindStudy(test.NewName()));
        var names = s.StudyNames();
        Assert.Contains(a, names);
        Assert.Contains(b, names);
        Assert.True(names.ToList().IndexOf(a) < names.ToList().IndexOf(b), "names are listed in order");
        Assert.Empty(s.Trials(a));

        // Another handle (another process, for the databases) sees the same.
        Assert.Equal(specA.ToJson(), test.OpenAnother().FindStudy(a)!.ToJson());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_taken_name_is_an_input_error_and_keeps_the_first_study(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 2);
        using (test)
        {
            var e = Assert.Throws<InvalidInputException>(() => s.CreateStudy(Spec(name, budget: 3)));
            Assert.Contains($"study '{name}' already exists", e.Message);
            Assert.Equal(100, s.FindStudy(name)!.Budget);
            Assert.Equal(2, s.Trials(name).Count);
            Assert.Single(s.StudyNames(), n => n == name);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Trials_of_an_unknown_study_are_an_input_error(string backend)
    {
        using var test = new TestStorage(backend);
        Assert.Throws<InvalidInputException>(() => test.Storage.AddTrials(test.NewName(), 0, Batch(0, 1)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Trials_are_stored_exactly_as_given(string backend)
    {
        var (test, s, name) = NewStudy(backend);
        using (test)
        {
            var trials = new List<Trial>
            {
                new(0, 0, 15624, "|nor_conv_3x3~0|+|a~0|b~1|+|c~0|d~1|e~2|", TrialState.Waiting, null, null, null, null, 0, null, 1_700_000_000_123, null, null),
                new(1, 0, 0, "x", TrialState.Waiting, null, null, null, null, 0, null, 1_700_000_000_124, null, null),
            };
            Assert.True(s.AddTrials(name, 0, trials));
            Assert.Equal(trials, s.Trials(name));

            // Values and metrics round-trip exactly, including doubles that have no short decimal form.
            double value = 0.1 + 0.2;
            string metrics = "{\"accuracy\":0.30000000000000004,\"note\":\"ü\"}";
            Assert.True(s.Complete(name, 1, "w", value, metrics, 5_000));
            var done = test.OpenAnother().Trials(name)[1];
            Assert.Equal(value, done.Value);
            Assert.Equal(metrics, done.Metrics);
            Assert.Equal(TrialState.Complete, done.State);
            Assert.Equal(5_000, done.FinishedMs);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Progress_and_TrialsFrom_agree_with_the_trials(string backend)
    {
        var (test, storage, study) = NewStudy(backend);
        using var _ = test;
        Assert.Equal(new StudyProgress(0, false, false), storage.Progress(study));
        Assert.Empty(storage.TrialsFrom(study, 0));
        Assert.True(storage.AddTrials(study, 0, Batch(0, 5)));
        Assert.Equal(new StudyProgress(5, true, false), storage.Progress(study));
        var claimed = storage.Claim(study, 2, "w", 10);
        Assert.Equal(new StudyProgress(5, true, true), storage.Progress(study));
        foreach (var t in storage.Claim(study, 3, "w", 10)) storage.Complete(study, t.Number, "w", 1, "{\"accuracy\": 1}", 11);
        Assert.Equal(new StudyProgress(5, false, true), storage.Progress(study));
        foreach (var t in claimed) storage.Fail(study, t.Number, "w", "x", 12);
        Assert.Equal(new StudyProgress(5, false, false), storage.Progress(study));
        Assert.Equal(storage.Trials(study).Skip(3), storage.TrialsFrom(study, 3));
        Assert.Equal(storage.Trials(study), storage.TrialsFrom(study, 0));
        Assert.Empty(storage.TrialsFrom(study, 5));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void AddTrials_writes_only_when_the_expected_count_is_current(string backend)
    {
        var (test, s, name) = NewStudy(backend);
        using (test)
        {
            Assert.True(s.AddTrials(name, 0, Batch(0, 3)));
            Assert.False(s.AddTrials(name, 0, Batch(0, 3, archOffset: 500)));
            Assert.False(s.AddTrials(name, 5, Batch(5, 2, archOffset: 500)));
            Assert.False(s.AddTrials(name, 2, Batch(2, 2, archOffset: 500)));
            Assert.Equal([100, 101, 102], s.Trials(name).Select(t => t.ArchIndex));

            Assert.True(s.AddTrials(name, 3, Batch(3, 2, batch: 1)));
            Assert.Equal([0, 1, 2, 3, 4], s.Trials(name).Select(t => t.Number));
            Assert.Equal([0, 0, 0, 1, 1], s.Trials(name).Select(t => t.Batch));
            Assert.True(s.AddTrials(name, 5, []));
            Assert.Equal(5, s.Trials(name).Count);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void AddTrials_with_numbers_that_do_not_continue_writes_nothing(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 2);
        using (test)
        {
            Assert.ThrowsAny<ArgumentException>(() => s.AddTrials(name, 2, [Waiting(2, 700), Waiting(4, 701)]));
            Assert.Equal(2, s.Trials(name).Count);
            Assert.True(s.AddTrials(name, 2, [Waiting(2, 700), Waiting(3, 701)]));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void An_architecture_appears_at_most_once_per_study(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 3); // architectures 100..102
        using (test)
        {
            Assert.ThrowsAny<Exception>(() => s.AddTrials(name, 3, [Waiting(3, 900), Waiting(4, 101)]));
            Assert.ThrowsAny<Exception>(() => s.AddTrials(name, 3, [Waiting(3, 900), Waiting(4, 900)]));
            Assert.Equal([100, 101, 102], s.Trials(name).Select(t => t.ArchIndex));

            // Another study may hold the same architectures.
            string other = test.NewName();
            s.CreateStudy(Spec(other));
            Assert.True(s.AddTrials(other, 0, Batch(0, 3)));
            Assert.True(s.AddTrials(name, 3, [Waiting(3, 900)]));
            Assert.Equal(4, s.Trials(name).Count);
            Assert.Equal(3, s.Trials(other).Count);
        }
    }

    /// <summary>An open space's trials have no index: they are told apart, and kept unique, by their text alone.</summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Trials_of_an_open_space_are_keyed_by_their_text(string backend)
    {
        var (test, s, name) = NewStudy(backend);
        using (test)
        {
            Trial Open(int number, string arch) => Waiting(number, 0) with { ArchIndex = null, Arch = arch };
            Assert.True(s.AddTrials(name, 0, [Open(0, "{\"a\":1}"), Open(1, "{\"a\":2}")]));
            Assert.ThrowsAny<Exception>(() => s.AddTrials(name, 2, [Open(2, "{\"a\":1}")]));
            var trials = s.Trials(name);
            Assert.Equal([null, null], trials.Select(t => t.ArchIndex));
            Assert.Equal(["{\"a\":1}", "{\"a\":2}"], trials.Select(t => t.Arch));
            Assert.Single(s.Claim(name, 1, "w", 5_000));
            Assert.True(s.Complete(name, 0, "w", 0.5, "{\"accuracy\": 0.5}", 6_000));
            Assert.Equal((TrialState.Complete, (int?)null), (s.Trials(name)[0].State, s.Trials(name)[0].ArchIndex));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Claim_takes_the_lowest_numbered_waiting_trials(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 5);
        using (test)
        {
            var first = s.Claim(name, 2, "w1", 10_000);
            Assert.Equal([0, 1], first.Select(t => t.Number));
            foreach (var t in first)
            {
                Assert.Equal(TrialState.Running, t.State);
                Assert.Equal("w1", t.Worker);
                Assert.Equal(1, t.Attempts);
                Assert.Equal(10_000, t.HeartbeatMs);
                Assert.Equal(10_000, t.StartedMs);
            }
            Assert.Equal(first, s.Trials(name).Take(2));

            Assert.Equal([2, 3, 4], s.Claim(name, 10, "w2", 11_000).Select(t => t.Number));
            Assert.Empty(s.Claim(name, 1, "w3", 12_000));
            Assert.Equal(["w1", "w1", "w2", "w2", "w2"], s.Trials(name).Select(t => t.Worker));

            // Re-queued trials are waiting again; the lowest number goes first.
            Assert.Equal(2, s.RequeueStale(name, 10_500, 3, 13_000)); // trials 0 and 1
            Assert.Equal([0], s.Claim(name, 1, "w4", 14_000).Select(t => t.Number));
            Assert.Equal([1], s.Claim(name, 5, "w4", 14_000).Select(t => t.Number));
        }
    }

    /// <summary>
    /// A study of a few hundred waiting trials claimed one at a time gives exactly one trial per claim, in order (a claim
    /// statement whose choice of rows the database re-evaluates per row claimed many at once); a paused study gives none.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Claim_takes_exactly_what_it_asks_for_and_nothing_while_paused(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 300);
        using (test)
        {
            for (int n = 0; n < 150; n++)
                Assert.Equal([n], s.Claim(name, 1, "w", 10_000 + n).Select(t => t.Number));
            Assert.Equal(Enumerable.Range(150, 7), s.Claim(name, 7, "w", 20_000).Select(t => t.Number));
            Assert.Equal(157, s.Trials(name).Count(t => t.State == TrialState.Running));
            Assert.Equal(new StudyProgress(300, true, true), s.Progress(name));

            s.SetPaused(name, "broken evaluator", 30_000);
            Assert.Equal(new StudyProgress(300, true, true, Paused: true), s.Progress(name));
            Assert.Empty(s.Claim(name, 5, "w", 30_001));
            s.SetPaused(name, null, 30_002);
            Assert.Equal([157, 158], s.Claim(name, 2, "w", 30_003).Select(t => t.Number));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void The_proposal_lease_has_one_holder_until_released_or_lapsed(string backend)
    {
        var (test, s, name) = NewStudy(backend);
        using (test)
        {
            Assert.True(s.LeaseProposal(name, "a", 1_000, 500));
            Assert.True(s.LeaseProposal(name, "a", 1_100, 500)); // the holder again
            Assert.False(s.LeaseProposal(name, "b", 1_200, 500));
            s.ReleaseProposal(name, "b"); // not b's: nothing changes
            Assert.False(s.LeaseProposal(name, "b", 1_500, 500));
            Assert.True(s.LeaseProposal(name, "b", 1_601, 500)); // a's lease (taken at 1,100) lapsed
            Assert.False(s.LeaseProposal(name, "a", 1_700, 500));
            s.ReleaseProposal(name, "b");
            Assert.True(s.LeaseProposal(name, "a", 1_701, 500));
            Assert.Throws<InvalidInputException>(() => s.LeaseProposal("no such study", "a", 1, 1));
        }
    }

    [Fact]
    public void The_SQLite_claim_finds_the_lowest_waiting_trial_in_the_queue_index_without_a_scan()
    {
        using var test = new TestStorage(Studies.Backends.Sqlite);
        var sqlite = (SqliteStudyStorage)test.Storage;
        using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + sqlite.Path);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + sqlite.ClaimStatement;
        foreach (string p in new[] { "@s", "@c", "@w", "@now" }) cmd.Parameters.AddWithValue(p, DBNull.Value);
        using var r = cmd.ExecuteReader();
        var plan = new List<string>();
        while (r.Read()) plan.Add(r.GetString(3));
        Assert.Contains(plan, line => line.Contains("weaknas_trials_queue (study=? AND state=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN", StringComparison.Ordinal) || line.Contains("sqlite_autoindex_weaknas_trials_1 (study=?)", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Claim_only_touches_its_own_study(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 2);
        using (test)
        {
            string other = test.NewName();
            s.CreateStudy(Spec(other));
            Assert.True(s.AddTrials(other, 0, Batch(0, 3)));
            Assert.Equal(2, s.Claim(name, 10, "w", 1).Count);
            Assert.All(s.Trials(other), t => Assert.Equal(TrialState.Waiting, t.State));
            Assert.Equal(3, s.Claim(other, 10, "w", 1).Count);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Concurrent_claims_hand_out_every_trial_exactly_once(string backend)
    {
        const int Trials = 200, Threads = 8;
        var (test, s, name) = NewStudy(backend, trials: Trials);
        using (test)
        {
            // Each thread uses its own handle, as separate processes would (memory: the one store).
            var handles = Enumerable.Range(0, Threads).Select(_ => test.OpenAnother()).ToArray();
            var claimed = Enumerable.Range(0, Threads).Select(_ => new List<Trial>()).ToArray();
            Concurrently.RunAll(Threads, i =>
            {
                while (true)
                {
                    var got = handles[i].Claim(name, 1 + i % 3, $"w{i}", 1_000 + i);
                    if (got.Count == 0) break;
                    claimed[i].AddRange(got);
                }
            }, TimeSpan.FromSeconds(60));

            var all = claimed.SelectMany(c => c).ToList();
            Assert.Equal(Trials, all.Count);
            Assert.Equal(Enumerable.Range(0, Trials), all.Select(t => t.Number).Order());
            var stored = s.Trials(name);
            Assert.All(stored, t => Assert.Equal((TrialState.Running, 1), (t.State, t.Attempts)));
            for (int i = 0; i < Threads; i++)
            {
                Assert.All(claimed[i], t => Assert.Equal($"w{i}", stored[t.Number].Worker));
                // Each claim takes the lowest waiting numbers, so every thread's numbers ascend.
                Assert.Equal(claimed[i].Select(t => t.Number).Order(), claimed[i].Select(t => t.Number));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Concurrent_proposals_for_the_same_count_let_exactly_one_through(string backend)
    {
        const int Threads = 8;
        var (test, s, name) = NewStudy(backend, trials: 1);
        using (test)
        {
            var handles = Enumerable.Range(0, Threads).Select(_ => test.OpenAnother()).ToArray();
            var results = new bool[Threads];
            Concurrently.RunAll(Threads, i =>
                results[i] = handles[i].AddTrials(name, 1, [Waiting(1, 1000 + 10 * i, batch: 1), Waiting(2, 1001 + 10 * i, batch: 1)]),
                TimeSpan.FromSeconds(60));

            int winner = Assert.Single(Enumerable.Range(0, Threads), i => results[i]);
            Assert.Equal([100, 1000 + 10 * winner, 1001 + 10 * winner], s.Trials(name).Select(t => t.ArchIndex));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Only_the_holder_refreshes_a_heartbeat(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 3);
        using (test)
        {
            s.Claim(name, 1, "w1", 1_000);
            Assert.False(s.Heartbeat(name, 0, "w2", 2_000));
            Assert.Equal(1_000, s.Trials(name)[0].HeartbeatMs);
            Assert.True(s.Heartbeat(name, 0, "w1", 3_000));
            Assert.Equal(3_000, s.Trials(name)[0].HeartbeatMs);

            Assert.False(s.Heartbeat(name, 1, "w1", 3_000)); // waiting, nobody holds it
            Assert.False(s.Heartbeat(name, 99, "w1", 3_000));
            Assert.True(s.Complete(name, 0, "w1", 1, "{\"accuracy\":1}", 4_000));
            Assert.False(s.Heartbeat(name, 0, "w1", 5_000)); // finished
            Assert.Equal(3_000, s.Trials(name)[0].HeartbeatMs);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Stale_trials_are_requeued_with_their_attempts_then_failed_at_the_limit(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 3);
        using (test)
        {
            s.Claim(name, 3, "w1", 1_000);
            Assert.True(s.Heartbeat(name, 1, "w1", 5_000));
            Assert.True(s.Heartbeat(name, 2, "w1", 3_000)); // exactly at the cutoff: not stale

            Assert.Equal(1, s.RequeueStale(name, 3_000, maxAttempts: 2, nowMs: 6_000));
            var t0 = s.Trials(name)[0];
            Assert.Equal((TrialState.Waiting, 1), (t0.State, t0.Attempts));
            Assert.Null(t0.FinishedMs);
            Assert.Contains("w1", t0.Error);
            Assert.Contains("re-queued after attempt 1", t0.Error);
            Assert.Equal([TrialState.Running, TrialState.Running], s.Trials(name).Skip(1).Select(t => t.State));
            Assert.Equal(0, s.RequeueStale(name, 3_000, 2, 6_000));

            var again = Assert.Single(s.Claim(name, 1, "w2", 7_000));
            Assert.Equal((0, 2, "w2"), (again.Number, again.Attempts, again.Worker));

            // The second abandonment reaches the limit: failed for good, with the reason and the time.
            Assert.Equal(3, s.RequeueStale(name, 8_000, maxAttempts: 2, nowMs: 9_000));
            var trials = s.Trials(name);
            Assert.Equal((TrialState.Failed, 2, 9_000L), (trials[0].State, trials[0].Attempts, trials[0].FinishedMs));
            Assert.Contains("w2", trials[0].Error);
            Assert.Contains("abandoned 2 times, giving up", trials[0].Error);
            Assert.All(trials.Skip(1), t => Assert.Equal((TrialState.Waiting, 1), (t.State, t.Attempts)));
            Assert.DoesNotContain(s.Claim(name, 1, "w3", 10_000), t => t.Number == 0);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_finished_trial_never_changes(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 3);
        using (test)
        {
            s.Claim(name, 2, "w1", 1_000);
            Assert.True(s.Complete(name, 0, "w1", 91.5, "{\"accuracy\":91.5}", 2_000));
            Assert.True(s.Fail(name, 1, "w1", "out of memory", 2_500));
            var before = s.Trials(name);
            Assert.Equal((TrialState.Complete, 91.5, "w1", 2_000L), (before[0].State, before[0].Value, before[0].Worker, before[0].FinishedMs));
            Assert.Null(before[0].Error);
            Assert.Equal((TrialState.Failed, "out of memory", 2_500L), (before[1].State, before[1].Error, before[1].FinishedMs));
            Assert.Null(before[1].Value);

            Assert.False(s.Complete(name, 0, "w2", 10, "{\"accuracy\":10}", 3_000));
            Assert.False(s.Fail(name, 0, "w2", "late failure", 3_000));
            Assert.False(s.Complete(name, 1, "w2", 10, "{\"accuracy\":10}", 3_000));
            Assert.False(s.Fail(name, 1, "w2", "again", 3_000));
            Assert.Equal(0, s.RequeueStale(name, long.MaxValue, 3, 3_000));
            Assert.DoesNotContain(s.Claim(name, 10, "w2", 3_000), t => t.Number < 2);
            Assert.False(s.Complete(name, 99, "w2", 10, "{}", 3_000));
            Assert.False(s.Fail(name, 99, "w2", "no such trial", 3_000));
            Assert.Equal(before.Take(2), s.Trials(name).Take(2));

            // A waiting trial (never claimed) can be told directly, as `study tell` does.
            Assert.True(s.Complete(name, 2, "w3", 1, "{\"accuracy\":1}", 4_000));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_late_result_after_requeue_is_accepted_once(string backend)
    {
        var (test, s, name) = NewStudy(backend, trials: 2);
        using (test)
        {
            s.Claim(name, 2, "slow", 1_000);
            Assert.Equal(2, s.RequeueStale(name, 2_000, 3, 3_000));
            var retried = Assert.Single(s.Claim(name, 1, "fresh", 4_000));
            Assert.Equal((0, 2), (retried.Number, retried.Attempts));

            // The slow worker finishes after all: its result counts, and the new holder loses the trial.
            Assert.True(s.Complete(name, 0, "slow", 90, "{\"accuracy\":90}", 5_000));
            Assert.False(s.Heartbeat(name, 0, "fresh", 5_500));
            Assert.False(s.Complete(name, 0, "fresh", 80, "{\"accuracy\":80}", 6_000));
            var t0 = s.Trials(name)[0];
            Assert.Equal((TrialState.Complete, 90.0, "slow", 2), (t0.State, t0.Value, t0.Worker, t0.Attempts));
            Assert.Null(t0.Error);

            // Re-queued and not claimed again yet: the late result completes it, and nobody claims it afterwards.
            Assert.True(s.Complete(name, 1, "slow", 70, "{\"accuracy\":70}", 6_000));
            Assert.False(s.Complete(name, 1, "slow", 71, "{\"accuracy\":71}", 6_100));
            Assert.Empty(s.Claim(name, 5, "fresh", 7_000));
            Assert.Equal(70, s.Trials(name)[1].Value);
        }
    }

    [Fact]
    public void Sqlite_data_survives_reopening_the_file()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "studies.db");
        var spec = Spec("reopened") with { Strategy = "weaknas", WeakNas = new WeakNasStudySettings { Hidden = [8], Epochs = 3 } };
        IReadOnlyList<Trial> written;
        using (var s = new SqliteStudyStorage(path))
        {
            s.CreateStudy(spec);
            Assert.True(s.AddTrials("reopened", 0, Batch(0, 4)));
            s.Claim("reopened", 3, "w1", 1_000);
            Assert.True(s.Complete("reopened", 0, "w1", 12.25, "{\"accuracy\":12.25}", 2_000));
            Assert.True(s.Fail("reopened", 1, "w1", "boom", 2_000));
            written = s.Trials("reopened");
        }
        SqliteStudyStorage.ClosePooled(path); // no pooled connection survives: the next storage really opens the file

        using (var s = (SqlStudyStorage)StudyStorage.Open("sqlite:///" + path))
        {
            Assert.Equal("sqlite:///" + path, s.Location);
            Assert.Equal(spec.ToJson(), s.FindStudy("reopened")!.ToJson());
            Assert.Equal(written, s.Trials("reopened"));
            Assert.Equal([TrialState.Complete, TrialState.Failed, TrialState.Running, TrialState.Waiting], s.Trials("reopened").Select(t => t.State));
            Assert.Equal([3], s.Claim("reopened", 5, "w2", 3_000).Select(t => t.Number));
        }
        SqliteStudyStorage.ClosePooled(path);
        using (var s = StudyStorage.Open(path)) // a plain path works too
            Assert.Equal(TrialState.Running, s.Trials("reopened")[3].State);
    }

    [Fact]
    public void Sqlite_file_in_a_missing_folder_is_an_input_error()
    {
        var e = Assert.Throws<InvalidInputException>(() => StudyStorage.Open("sqlite:////nonexistent-weaknas/x/studies.db"));
        Assert.Contains("does not exist", e.Message);
    }

    [Theory]
    [InlineData("mysql://localhost/db", "unknown scheme")]
    [InlineData("sqlite://relative.db", "expected sqlite:///relative/file.db")]
    [InlineData("sqlite:///", "expected sqlite:///relative/file.db")]
    public void Malformed_storage_urls_are_input_errors(string url, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => StudyStorage.Open(url));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Postgres_urls_become_connection_strings_and_passwords_stay_out_of_messages()
    {
        string cs = PostgresStudyStorage.ConnectionString("postgresql://alice:s%40cret@db.example:6543/studies?Timeout=7");
        Assert.Contains("Host=db.example", cs);
        Assert.Contains("Port=6543", cs);
        Assert.Contains("Database=studies", cs);
        Assert.Contains("Username=alice", cs);
        Assert.Contains("Password=s@cret", cs);
        Assert.Contains("Timeout=7", cs);
        Assert.Equal("postgresql://alice:***@db.example:6543/studies", PostgresStudyStorage.Redact("postgresql://alice:s%40cret@db.example:6543/studies"));
        var e = Assert.Throws<InvalidInputException>(() => PostgresStudyStorage.ConnectionString("postgresql://bob:pw@h/db?nonsense=1"));
        Assert.Contains("postgresql://bob:***@h/db", e.Message);
        Assert.DoesNotContain(":pw@", e.Message);
    }
}
