using System.Diagnostics;

namespace WeakNas.Studies;

/// <summary>How a worker behaves: retries, heartbeats, polling.</summary>
public sealed record WorkerOptions
{
    /// <summary>Extra attempts of a failed evaluation before the trial is failed (0: fail at once).</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Time between heartbeats; default a quarter of the study's grace period.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>
    /// Longest wait between asks while the current batch is still being evaluated elsewhere: an idle worker asks again after
    /// 5 ms, then waits twice as long each time up to this, so a study of fast evaluations loses no time between batches.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Stop after this many trials (null: until the study is done).</summary>
    public int? MaxTrials { get; init; }

    /// <summary>
    /// The circuit breaker: when the study's last this many finished trials all failed, the worker pauses the study (no
    /// further budget is spent on a broken evaluator until someone resumes it) and stops. 0: never.
    /// </summary>
    public int MaxConsecutiveFailures { get; init; } = 5;
}

/// <summary>What one worker did; <paramref name="Paused"/> is why it stopped when the study was paused (by it or another).</summary>
public sealed record WorkerReport(int Completed, int Failed, int Lost, string? Paused = null);

/// <summary>
/// Claims trials one at a time, evaluates each while a timer keeps its heartbeat fresh, and records the result;
/// runs until the study is done. A result is in the storage before the next trial is claimed, so killing a worker
/// loses at most the evaluation in progress, which another worker takes up once its heartbeat has gone stale.
/// </summary>
public sealed class StudyWorker(Study study, ITrialEvaluator evaluator, string workerId, WorkerOptions? options = null)
{
    private readonly WorkerOptions _options = options ?? new WorkerOptions();

    public string Id { get; } = workerId;

    /// <summary>Called after each finished trial (for progress output): the trial as claimed, the metrics JSON its
    /// evaluation reported (null when it failed), and why it failed (null when it completed).</summary>
    public Action<Trial, string?, string?>? Finished { get; init; }

    public WorkerReport Run(CancellationToken cancel = default)
    {
        int completed = 0, failed = 0, lost = 0;
        var idle = TimeSpan.FromMilliseconds(5);
        var interval = _options.HeartbeatInterval ?? TimeSpan.FromSeconds(Math.Max(0.05, study.Spec.GraceSeconds / 4));
        using var heartbeat = new Heartbeat(interval);
        while (!cancel.IsCancellationRequested && (_options.MaxTrials is not int max || completed + failed < max))
        {
            var claimed = study.Ask(1, Id);
            if (claimed.Count == 0)
            {
                if (study.Paused() is { } reason) return new WorkerReport(completed, failed, lost, reason);
                if (study.IsDone()) break;
                var wait = idle < _options.PollInterval ? idle : _options.PollInterval;
                cancel.WaitHandle.WaitOne(wait);
                idle = wait * 2;
                continue;
            }
            idle = TimeSpan.FromMilliseconds(5);
            var trial = claimed[0];
            string? error = null;
            string? metrics = null;
            heartbeat.Start(() => SafeHeartbeat(trial.Number));
            try
            {
                for (int attempt = 0; attempt <= _options.Retries && metrics == null; attempt++)
                {
                    try
                    {
                        metrics = evaluator.Evaluate(study.Spec, trial, cancel);
                        StudyMetrics.Read(metrics, study.Spec.Metric);
                    }
                    catch (EvaluationException e)
                    {
                        metrics = null;
                        error = _options.Retries > 0 ? $"attempt {attempt + 1} of {_options.Retries + 1}: {e.Message}" : e.Message;
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopped from outside: leave the trial running; its heartbeat lapses and it is re-queued.
                        return new WorkerReport(completed, failed, lost);
                    }
                }
            }
            finally
            {
                heartbeat.Stop();
            }
            bool recorded = metrics != null ? study.Tell(trial.Number, metrics, Id) : study.Fail(trial.Number, error!, Id);
            if (!recorded) lost++;
            else if (metrics != null) completed++;
            else failed++;
            Finished?.Invoke(trial, metrics, metrics == null ? error : null);
            if (metrics == null && _options.MaxConsecutiveFailures > 0 && study.FailedInARow(_options.MaxConsecutiveFailures))
            {
                study.Pause($"{_options.MaxConsecutiveFailures} trials in a row failed, the last (trial {trial.Number}): {StudyMetrics.Shorten(error!, 300)}");
                return new WorkerReport(completed, failed, lost, study.Paused());
            }
        }
        return new WorkerReport(completed, failed, lost);
    }

    private void SafeHeartbeat(int number)
    {
        try
        {
            study.Heartbeat(number, Id);
        }
        catch (Exception e)
        {
            // A missed heartbeat is not fatal: the next one may get through, and the grace period allows for several.
            Trace.TraceWarning($"heartbeat of trial {number} failed: {e.Message}");
        }
    }

    /// <summary>
    /// One thread per worker run that calls the current trial's beat every interval while a trial is being evaluated.
    /// Not a thread-pool timer: when the pool is starved (an evaluator or other work blocking its threads) timer callbacks
    /// wait, the grace period lapses and a live trial is re-queued to another worker. Not a thread per trial either: a
    /// study of fast evaluations would spend its time starting threads. A beat runs under the lock, so none runs after
    /// <see cref="Stop"/> returns.
    /// </summary>
    private sealed class Heartbeat : IDisposable
    {
        private readonly object _gate = new();
        private readonly Thread _thread;
        private readonly TimeSpan _interval;
        private Action? _beat;
        private long _generation;
        private bool _disposed;

        public Heartbeat(TimeSpan interval)
        {
            _interval = interval;
            _thread = new Thread(Loop) { IsBackground = true, Name = "weaknas heartbeat" };
            _thread.Start();
        }

        private void Loop()
        {
            lock (_gate)
            {
                while (!_disposed)
                {
                    if (_beat == null)
                    {
                        Monitor.Wait(_gate);
                        continue;
                    }
                    long generation = _generation;
                    // Woken early only by Start, Stop or Dispose, which change the generation: no beat then.
                    if (!Monitor.Wait(_gate, _interval) && generation == _generation && _beat != null && !_disposed) _beat();
                }
            }
        }

        public void Start(Action beat)
        {
            lock (_gate)
            {
                _beat = beat;
                _generation++;
                Monitor.PulseAll(_gate);
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _beat = null;
                _generation++;
                Monitor.PulseAll(_gate);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                Monitor.PulseAll(_gate);
            }
            _thread.Join();
        }
    }

    /// <summary>A worker id unique across machines and processes: host, process id, slot.</summary>
    public static string DefaultId(int slot) => $"{Environment.MachineName}-{Environment.ProcessId}-{slot}";
}
