namespace WeakNas.Studies;

/// <summary>Studies in this process's memory: for tests and for searches that need no persistence.</summary>
public sealed class MemoryStudyStorage : IStudyStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StudySpec> _studies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Trial>> _trials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _paused = new(StringComparer.Ordinal);

    public void CreateStudy(StudySpec spec)
    {
        lock (_lock)
        {
            if (!_studies.TryAdd(spec.Name, spec)) throw new InvalidInputException($"study '{spec.Name}' already exists");
            _trials[spec.Name] = [];
        }
    }

    public StudySpec? FindStudy(string name)
    {
        lock (_lock) return _studies.GetValueOrDefault(name);
    }

    public IReadOnlyList<string> StudyNames()
    {
        lock (_lock) return _studies.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<Trial> Trials(string study)
    {
        lock (_lock) return List(study).ToArray();
    }

    public IReadOnlyList<Trial> TrialsFrom(string study, int first)
    {
        lock (_lock)
        {
            var list = List(study);
            return first >= list.Count ? [] : list.Skip(Math.Max(0, first)).ToArray();
        }
    }

    public StudyProgress Progress(string study)
    {
        lock (_lock)
        {
            var list = List(study);
            return new StudyProgress(list.Count, list.Any(t => t.State == TrialState.Waiting), list.Any(t => t.State == TrialState.Running), _paused.ContainsKey(study));
        }
    }

    public bool AddTrials(string study, int expectedCount, IReadOnlyList<Trial> trials)
    {
        lock (_lock)
        {
            var list = List(study);
            if (list.Count != expectedCount) return false;
            var archs = list.Select(t => t.Arch).ToHashSet(StringComparer.Ordinal);
            for (int i = 0; i < trials.Count; i++)
            {
                if (trials[i].Number != expectedCount + i) throw new ArgumentException($"trial number {trials[i].Number}, expected {expectedCount + i}");
                if (!archs.Add(trials[i].Arch)) throw new InvalidOperationException($"architecture {trials[i].Arch} is already in study '{study}'");
            }
            list.AddRange(trials);
            return true;
        }
    }

    public IReadOnlyList<Trial> Claim(string study, int count, string worker, long nowMs)
    {
        lock (_lock)
        {
            var list = List(study);
            var claimed = new List<Trial>();
            if (_paused.ContainsKey(study)) return claimed;
            for (int i = 0; i < list.Count && claimed.Count < count; i++)
            {
                if (list[i].State != TrialState.Waiting) continue;
                list[i] = list[i] with
                {
                    State = TrialState.Running, Worker = worker, HeartbeatMs = nowMs, Attempts = list[i].Attempts + 1,
                    StartedMs = nowMs,
                };
                claimed.Add(list[i]);
            }
            return claimed;
        }
    }

    public bool Heartbeat(string study, int number, string worker, long nowMs)
    {
        lock (_lock)
        {
            var list = List(study);
            if (number < 0 || number >= list.Count) return false;
            var t = list[number];
            if (t.State != TrialState.Running || t.Worker != worker) return false;
            list[number] = t with { HeartbeatMs = nowMs };
            return true;
        }
    }

    public int RequeueStale(string study, long cutoffMs, int maxAttempts, long nowMs)
    {
        lock (_lock)
        {
            var list = List(study);
            int changed = 0;
            for (int i = 0; i < list.Count; i++)
            {
                var t = list[i];
                if (t.State != TrialState.Running || t.HeartbeatMs >= cutoffMs) continue;
                list[i] = t.Attempts >= maxAttempts
                    ? t with { State = TrialState.Failed, Error = StudyMessages.Abandoned(t, final: true), FinishedMs = nowMs }
                    : t with { State = TrialState.Waiting, Error = StudyMessages.Abandoned(t, final: false) };
                changed++;
            }
            return changed;
        }
    }

    public bool Complete(string study, int number, string worker, double value, string metrics, long nowMs) =>
        Finish(study, number, t => t with
        {
            State = TrialState.Complete, Value = value, Metrics = metrics, Worker = worker, Error = null, FinishedMs = nowMs,
        });

    public bool Fail(string study, int number, string worker, string error, long nowMs) =>
        Finish(study, number, t => t with { State = TrialState.Failed, Worker = worker, Error = error, FinishedMs = nowMs });

    private bool Finish(string study, int number, Func<Trial, Trial> change)
    {
        lock (_lock)
        {
            var list = List(study);
            if (number < 0 || number >= list.Count || list[number].IsFinished) return false;
            list[number] = change(list[number]);
            return true;
        }
    }

    public void SetPaused(string study, string? reason, long nowMs)
    {
        lock (_lock)
        {
            List(study);
            if (reason == null) _paused.Remove(study);
            else _paused.TryAdd(study, reason);
        }
    }

    private readonly Dictionary<string, (string Worker, long Ms)> _leases = new(StringComparer.Ordinal);

    public bool LeaseProposal(string study, string worker, long nowMs, long leaseMs)
    {
        lock (_lock)
        {
            List(study);
            if (_leases.TryGetValue(study, out var held) && held.Worker != worker && held.Ms >= nowMs - leaseMs) return false;
            _leases[study] = (worker, nowMs);
            return true;
        }
    }

    public void ReleaseProposal(string study, string worker)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(study, out var held) && held.Worker == worker) _leases.Remove(study);
        }
    }

    public string? Paused(string study)
    {
        lock (_lock) return _paused.GetValueOrDefault(study);
    }

    private List<Trial> List(string study) =>
        _trials.TryGetValue(study, out var list) ? list : throw new InvalidInputException($"no study named '{study}'");

    public void Dispose()
    {
    }
}

/// <summary>Texts every storage records the same way.</summary>
internal static class StudyMessages
{
    public static string Abandoned(Trial t, bool final) => final
        ? $"worker {t.Worker} stopped sending heartbeats; abandoned {t.Attempts} times, giving up"
        : $"worker {t.Worker} stopped sending heartbeats; re-queued after attempt {t.Attempts}";
}
