using System.Collections.Concurrent;
using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>
/// Runs many (dataset, constraint, strategy, seed) searches on parallel workers, each limited to its share of the cores,
/// appending each finished run to the run log at once. Jobs already in the log are skipped, so an interrupted
/// benchmark resumes where it stopped.
/// </summary>
public sealed class BenchRunner<TArch> where TArch : notnull, IEquatable<TArch>
{
    public IReadOnlyDictionary<string, ITabularBenchmark<TArch>> Benchmarks { get; init; } = new Dictionary<string, ITabularBenchmark<TArch>>();

    /// <summary>
    /// Runs a job's search itself (a space without a table: an open space evaluated by a function); null to run the
    /// job's strategy on its tabular benchmark in <see cref="Benchmarks"/>.
    /// </summary>
    public Func<BenchJob, SearchResult>? Search { get; init; }
    /// <summary>
    /// The strategy of a job. For a job with a <see cref="BenchJob.Constraint"/>, a <see cref="ConstrainedStrategy"/> whose
    /// constraint has that label (see <see cref="StrategyFactory.Create"/>'s constraint argument).
    /// </summary>
    public Func<BenchJob, ISearchStrategy>? CreateStrategy { get; init; }
    /// <summary>Name recorded for a job's strategy (e.g. with an ablation tag).</summary>
    public Func<BenchJob, string> RecordedName { get; init; } = job => job.Strategy;
    /// <summary>Completes a job's record from its search (a multi-objective run adds its objectives and hypervolume trace).</summary>
    public Func<BenchJob, SearchResult, RunRecord, RunRecord> Complete { get; init; } = (_, _, record) => record;
    public required int Budget { get; init; }
    public bool StopAtOptimum { get; init; }
    public int Workers { get; init; } = Environment.ProcessorCount;
    public NoiseMode Noise { get; init; } = NoiseMode.Mean;

    /// <summary>Runs every job not yet in <paramref name="log"/>; calls <paramref name="finished"/> after each.</summary>
    public void Run(IReadOnlyList<BenchJob> jobs, RunLog log, Action<RunRecord> finished, CancellationToken cancel = default)
    {
        if ((Search == null) == (CreateStrategy == null)) throw new InvalidOperationException("a bench runs either CreateStrategy's strategies on its benchmarks or its own Search, one of the two");
        var done = log.Read().Select(r => r.Key).ToHashSet();
        var queue = new ConcurrentQueue<BenchJob>(jobs.Where(j => !done.Contains(RunRecord.RunKey(j.Dataset, RecordedName(j), j.Seed, j.Constraint, j.Objectives))));
        int workers = Math.Max(1, Math.Min(Workers, queue.Count));
        int threadsEach = Math.Max(1, Environment.ProcessorCount / workers);
        Exception? failure = null;
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            using var limit = Parallelism.Limit(threadsEach);
            while (failure == null && !cancel.IsCancellationRequested && queue.TryDequeue(out var job))
            {
                try
                {
                    var result = Search != null ? Search(job)
                        : SearchRunner.Run(Benchmarks[job.Dataset], CreateStrategy!(job), Budget, job.Seed, Noise, stopAtOptimum: StopAtOptimum);
                    var record = Complete(job, result, RunRecord.From(result, StopAtOptimum) with { Strategy = RecordedName(job) });
                    if (record.Constraint != job.Constraint)
                        throw new InvalidOperationException($"job {job.Key} ran under constraint '{record.Constraint}', not '{job.Constraint}'");
                    if (record.Objectives != job.Objectives)
                        throw new InvalidOperationException($"job {job.Key} was recorded with objectives '{record.Objectives}', not '{job.Objectives}'");
                    log.Append(record);
                    finished(record);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }
        }) { IsBackground = true, Name = "weaknas-bench" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure != null) throw new AggregateException("a benchmark run failed", failure);
    }
}
