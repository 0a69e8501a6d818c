using System.Diagnostics;
using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>
/// Runs one ask/tell strategy against a tabular benchmark until the query budget is spent. A
/// <see cref="ConstrainedStrategy"/> makes it a constrained search: each evaluated architecture is also measured by the
/// run's constraint, the best is the best feasible query, and the optimum is the constrained optimum.
/// </summary>
public static class SearchRunner
{
    /// <param name="progress">Called after every query with the record and the best record so far.</param>
    /// <param name="stopAtOptimum">Stop as soon as the benchmark's optimum has been evaluated.</param>
    /// <param name="interrupt">Stops the search after the query under way; the result then says it is incomplete.</param>
    public static SearchResult Run<TArch>(
        ITabularBenchmark<TArch> benchmark, ISearchStrategy strategy, int budget, ulong seed,
        NoiseMode noise = NoiseMode.Mean, Action<QueryRecord, QueryRecord>? progress = null, bool stopAtOptimum = false,
        CancellationToken interrupt = default)
        where TArch : notnull, IEquatable<TArch>
    {
        if (budget <= 0) throw new InvalidInputException($"budget must be positive, got {budget}");
        var clock = Stopwatch.StartNew();
        var space = benchmark.Space;
        var evaluator = new TabularEvaluator<TArch>(benchmark, noise, Rng.Derive(seed, 3_000_000));
        var queries = new List<QueryRecord>(budget);
        QueryRecord? best = null;
        int? foundAt = null;
        var constraint = (strategy as ConstrainedStrategy)?.Constraint;
        int optimum = constraint?.Feasible.Optimum(benchmark.SearchAccuracy) ?? benchmark.OptimumIndex;

        while (evaluator.Queries < budget && !(stopAtOptimum && foundAt != null) && !interrupt.IsCancellationRequested)
        {
            var batch = strategy.Ask(budget - evaluator.Queries);
            if (batch.Count == 0) break;
            foreach (int index in batch)
            {
                if (evaluator.Queries >= budget || interrupt.IsCancellationRequested) break;
                // With the table deciding feasibility an infeasible proposal is a defect, not a search outcome.
                if (constraint is { UsesTable: true } && !constraint.Feasible.Contains(index))
                    throw new InvalidOperationException($"{strategy.Name} proposed architecture {index}, which {constraint.Label} rules out");
                int before = evaluator.Queries;
                var evaluation = evaluator.Evaluate(index);
                constraint?.Measure(index);
                strategy.Tell(index, evaluation.SearchAccuracy);
                if (evaluator.Queries == before) continue;
                bool feasible = constraint?.Feasible.Contains(index) ?? true;
                var record = new QueryRecord(evaluator.Queries, index, space.Format(space[index]), evaluation.SearchAccuracy, evaluation.TestAccuracy, feasible);
                queries.Add(record);
                if (feasible && (best == null || record.SearchAccuracy > best.SearchAccuracy)) best = record;
                if (index == optimum) foundAt ??= record.N;
                if (best != null) progress?.Invoke(record, best);
            }
        }

        return new SearchResult
        {
            Strategy = strategy.Name,
            Space = space.Name,
            Dataset = benchmark.Dataset,
            Noise = noise.ToString().ToLowerInvariant(),
            Seed = seed,
            Budget = budget,
            Seconds = clock.Elapsed.TotalSeconds,
            Queries = queries,
            Best = best,
            OptimumIndex = optimum,
            OptimumArch = space.Format(space[optimum]),
            OptimumSearchAccuracy = benchmark.SearchAccuracy(optimum),
            FoundOptimumAt = foundAt,
            Interrupted = interrupt.IsCancellationRequested && evaluator.Queries < budget && !(stopAtOptimum && foundAt != null),
            Constraint = constraint == null ? null : new ConstraintOutcome(
                constraint.Label, constraint.Feasible.Label, constraint.Feasible.BoundsText, constraint.Mode, constraint.Feasible.Count,
                constraint.DeviceQueries, queries.Count(q => !q.Feasible)),
        };
    }
}
