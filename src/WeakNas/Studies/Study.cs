using System.Diagnostics;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Spaces;
using WeakNas.Strategies;

namespace WeakNas.Studies;

/// <summary>
/// A search whose state lives in a storage: ask for trials, evaluate them anywhere, tell the results. The strategy is
/// built from the stored trials (completed ones told in trial order, failed ones excluded) the first time a process
/// proposes, and told only the newer trials after that, so any process can continue a study and a restarted driver
/// continues the same trajectory. Proposals come in
/// batches: a new batch is proposed only when every trial of the previous one has finished, so a batch strategy
/// (WeakNAS) always sees its whole batch's results; meanwhile workers take the batch's remaining members.
/// </summary>
public sealed class Study
{
    private readonly IStudyStorage _storage;
    private readonly TimeProvider _time;
    private readonly StudySpace _space;
    private readonly string? _dataFolder;
    private FeasibleSet? _feasible;

    private Study(IStudyStorage storage, StudySpec spec, TimeProvider time, string? dataFolder)
    {
        _storage = storage;
        Spec = spec;
        _time = time;
        _space = StudySpace.Get(spec);
        _dataFolder = dataFolder;
    }

    /// <summary>
    /// The architectures a constrained study may propose, from the tables in the data folder given when the study was
    /// created or loaded (resolved on first use); null for an unconstrained study. An <see cref="InvalidInputException"/>
    /// naming the missing table when the folder was not given or lacks it.
    /// </summary>
    public FeasibleSet? Feasible => Spec.Constraint == null ? null : _feasible ??= Spec.Constraint.Resolve(_dataFolder, Name);

    public StudySpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>Creates a study in the storage (an <see cref="InvalidInputException"/> if the name is taken).</summary>
    /// <param name="dataFolder">The folder holding nasbench201/, which a constrained study needs to propose; with it, the
    /// constraint is checked against the tables before the study is stored.</param>
    public static Study Create(IStudyStorage storage, StudySpec spec, TimeProvider? time = null, string? dataFolder = null)
    {
        time ??= TimeProvider.System;
        spec = spec with { CreatedMs = spec.CreatedMs != 0 ? spec.CreatedMs : time.GetUtcNow().ToUnixTimeMilliseconds() };
        spec.Validate();
        StudySpace.Get(spec);
        StrategyFactory.CheckName(spec.Strategy);
        var study = new Study(storage, spec, time, dataFolder);
        if (spec.Constraint != null && dataFolder != null) _ = study.Feasible;
        storage.CreateStudy(spec);
        return study;
    }

    /// <summary>Opens a stored study (an <see cref="InvalidInputException"/> naming what exists when it does not).</summary>
    /// <param name="dataFolder">The folder holding nasbench201/: a constrained study reads its feasible set there when it
    /// proposes (unconstrained studies need none).</param>
    public static Study Load(IStudyStorage storage, string name, TimeProvider? time = null, string? dataFolder = null)
    {
        var spec = storage.FindStudy(name);
        if (spec == null)
        {
            var names = storage.StudyNames();
            throw new InvalidInputException(names.Count == 0
                ? $"no study named '{name}': the storage holds no studies"
                : $"no study named '{name}'; the storage holds {string.Join(", ", names.Take(20))}");
        }
        // Every stored row is read once here, so a study edited into something unreadable is refused now, with the trial and
        // column named, whatever the command goes on to read.
        _ = storage.Trials(name);
        return new Study(storage, spec, time ?? TimeProvider.System, dataFolder);
    }

    public IReadOnlyList<Trial> Trials() => _storage.Trials(Name);

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Claims up to <paramref name="count"/> trials for <paramref name="worker"/>: waiting ones first (re-queued or the
    /// rest of the current batch), else a new batch from the strategy once the previous batch has finished. Returns
    /// fewer (possibly none) while a batch is still running elsewhere or when the study is done; see <see cref="IsDone"/>.
    /// </summary>
    public IReadOnlyList<Trial> Ask(int count, string worker)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        var claimed = new List<Trial>();
        long now = Now;
        if (now - Interlocked.Read(ref _requeuedMs) >= RequeueIntervalMs)
        {
            if (_storage.Paused(Name) != null) return claimed;
            _storage.RequeueStale(Name, now - GraceMs, Spec.MaxAttempts, now);
            Interlocked.Exchange(ref _requeuedMs, now);
        }
        _exhausted = false;
        for (int round = 0; round < 100 && claimed.Count < count; round++)
        {
            claimed.AddRange(_storage.Claim(Name, count - claimed.Count, worker, Now));
            if (claimed.Count == count) break;
            var progress = _storage.Progress(Name);
            if (progress.Paused) break;
            if (progress.AnyWaiting) continue;
            if (progress.AnyRunning || progress.Total >= Spec.Budget) break;
            // One worker computes the next batch while the others wait for it (a lapsed lease lets another take over).
            if (!_storage.LeaseProposal(Name, worker, Now, GraceMs)) break;
            try
            {
                if (ProposeNext() is not { } next) continue;
                if (next.Proposal.Count == 0)
                {
                    _exhausted = true;
                    break;
                }
                _storage.AddTrials(Name, next.Count, next.Proposal);
            }
            finally
            {
                _storage.ReleaseProposal(Name, worker);
            }
        }
        return claimed;
    }

    private long GraceMs => (long)(Spec.GraceSeconds * 1000);

    private long _requeuedMs = long.MinValue / 2;

    /// <summary>
    /// How often asking looks for stale trials (a quarter of the grace period, at most a second): a trial whose worker
    /// died is re-queued within the grace period and this much, and a fast study is not slowed by a locked scan per claim.
    /// </summary>
    private long RequeueIntervalMs => (long)Math.Min(1000, Spec.GraceSeconds * 250);

    private readonly Lock _proposeLock = new();
    private StudySearch? _search;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private int _told, _nextBatch;

    /// <summary>
    /// The next batch after every stored trial, when every one has finished; null when a trial is not finished (another
    /// worker proposed meanwhile: the caller claims instead). The strategy is kept between batches and told only the trials
    /// stored since it was last asked (finished trials never change, and a strategy's proposals depend only on its seed and
    /// what it was told), so proposing costs the same at trial 100,000 as at trial 100; a new process rebuilds it once.
    /// </summary>
    private (int Count, List<Trial> Proposal)? ProposeNext()
    {
        lock (_proposeLock)
        {
            var newer = _storage.TrialsFrom(Name, _told);
            if (newer.Any(t => !t.IsFinished)) return null;
            long start = Stopwatch.GetTimestamp();
            var search = _search ??= NewSearch();
            foreach (var t in newer) Replay(search, t);
            var proposal = Propose(search);
            Interlocked.Add(ref _proposeTicks, Stopwatch.GetTimestamp() - start);
            return (_told, proposal);
        }
    }

    private long _proposeTicks;

    /// <summary>Time this process spent in the strategy (telling it results and asking it for batches), for measurements.</summary>
    public TimeSpan StrategyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _proposeTicks));

    private StudySearch NewSearch()
    {
        var weakNas = (Spec.WeakNas ?? new WeakNasStudySettings()).ToOptions(Spec.Space, Spec.Budget);
        var feasible = Feasible;
        return _space.Search(Spec.Strategy, Spec.Seed, weakNas, feasible == null ? null : new TableConstraintRun(feasible));
    }

    /// <summary>Tells the kept strategy one finished trial (the next by number) and notes it as known.</summary>
    private void Replay(StudySearch search, Trial t)
    {
        Debug.Assert(t.IsFinished && t.Number == _told);
        Tell(search, t);
        _known.Add(t.Arch);
        _nextBatch = Math.Max(_nextBatch, t.Batch + 1);
        _told++;
    }

    /// <summary>The study is over: the budget is spent (or the space exhausted) and nothing is waiting or running.</summary>
    public bool IsDone()
    {
        var progress = _storage.Progress(Name);
        if (progress.AnyWaiting || progress.AnyRunning) return false;
        return progress.Total >= Math.Min(Spec.Budget, Spec.Constraint?.FeasibleCount ?? _space.Size ?? int.MaxValue) || _exhausted;
    }

    private volatile bool _exhausted;

    /// <summary>Why the study is paused (nothing is claimed or proposed until <see cref="Resume"/>), or null.</summary>
    public string? Paused() => _storage.Paused(Name);

    /// <summary>Pauses the study: its workers stop, and no budget is spent until it is resumed. A paused study keeps its first reason.</summary>
    public void Pause(string reason) => _storage.SetPaused(Name, reason, Now);

    public void Resume() => _storage.SetPaused(Name, null, Now);

    /// <summary>The study's last <paramref name="count"/> finished trials (by when they finished) all failed.</summary>
    public bool FailedInARow(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var last = _storage.Trials(Name).Where(t => t.IsFinished).OrderByDescending(t => t.FinishedMs).ThenByDescending(t => t.Number).Take(count).ToList();
        return last.Count == count && last.All(t => t.State == TrialState.Failed);
    }

    /// <summary>Records a result. The search metric is <see cref="StudySpec.Metric"/> in <paramref name="metricsJson"/>.</summary>
    /// <returns>False when the trial had already finished (its result stays as it was).</returns>
    public bool Tell(int number, string metricsJson, string worker)
    {
        double value = StudyMetrics.Read(metricsJson, Spec.Metric);
        return _storage.Complete(Name, number, worker, value, metricsJson, Now);
    }

    /// <summary>Marks a trial failed with the reason; the strategy will not propose its architecture again.</summary>
    public bool Fail(int number, string reason, string worker) => _storage.Fail(Name, number, worker, reason, Now);

    /// <summary>Tells the storage this worker is still evaluating the trial; false if the trial is no longer its.</summary>
    public bool Heartbeat(int number, string worker) => _storage.Heartbeat(Name, number, worker, Now);

    /// <summary>The strategy rebuilt from the finished trials, as any process would rebuild it.</summary>
    public ISearchStrategy RebuildStrategy(IReadOnlyList<Trial> trials) => Rebuild(trials).Strategy;

    private StudySearch Rebuild(IReadOnlyList<Trial> trials)
    {
        var search = NewSearch();
        foreach (var t in trials.OrderBy(t => t.Number).Where(t => t.IsFinished)) Tell(search, t);
        return search;
    }

    /// <summary>A finished trial as its strategy learns it: a completed one's value, or that a failed one is excluded.</summary>
    private static void Tell(StudySearch search, Trial t)
    {
        if (t.State == TrialState.Complete) search.Strategy.Tell(search.HandleOf(t.Arch), t.Value!.Value);
        else search.Strategy.Exclude(search.HandleOf(t.Arch));
    }

    /// <summary>The strategy's next batch after the <see cref="_told"/> trials it was told (numbered from there on); empty when the budget is spent or the space exhausted.</summary>
    private List<Trial> Propose(StudySearch search)
    {
        int room = Spec.Budget - _told;
        if (room <= 0) return [];
        long now = Now;
        var proposal = new List<Trial>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (int handle in search.Strategy.Ask(Math.Min(Spec.BatchSize, room)))
        {
            string arch = search.Format(handle);
            if (proposal.Count >= room || _known.Contains(arch) || !added.Add(arch)) continue;
            int? index = search.IndexOf(handle);
            if (Feasible is { } feasible && !(index is int i && feasible.Contains(i)))
                throw new InvalidOperationException($"the {Spec.Strategy} strategy proposed {arch}, which the study's constraint does not admit");
            proposal.Add(new Trial(_told + proposal.Count, _nextBatch, index, arch, TrialState.Waiting,
                null, null, null, null, 0, null, now, null, null));
        }
        return proposal;
    }

    public StudyStatus Status() => StudyStatus.Of(Spec, _storage.Trials(Name), _storage.Paused(Name));
}
