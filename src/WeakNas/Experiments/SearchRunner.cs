using System.Diagnostics;
using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>Runs one ask/tell strategy against a tabular benchmark until the query budget is spent.</summary>
public static class SearchRunner
{
    /// <param name="progress">Called after every query with the record and the best record so far.</param>
    /// <param name="stopAtOptimum">Stop as soon as the benchmark's optimum has been evaluated.</param>
    public static SearchResult Run<TArch>(
        ITabularBenchmark<TArch> benchmark, ISearchStrategy strategy, int budget, ulong seed,
        NoiseMode noise = NoiseMode.Mean, Action<QueryRecord, QueryRecord>? progress = null, bool stopAtOptimum = false)
        where TArch : notnull, IEquatable<TArch>
    {
        if (budget <= 0) throw new InvalidInputException($"budget must be positive, got {budget}");
        var clock = Stopwatch.StartNew();
        var space = benchmark.Space;
        var evaluator = new TabularEvaluator<TArch>(benchmark, noise, Rng.Derive(seed, 3_000_000));
        var queries = new List<QueryRecord>(budget);
        QueryRecord? best = null;
        int? foundAt = null;
        int optimum = benchmark.OptimumIndex;

        while (evaluator.Queries < budget && !(stopAtOptimum && foundAt != null))
        {
            var batch = strategy.Ask(budget - evaluator.Queries);
            if (batch.Count == 0) break;
            foreach (int index in batch)
            {
                if (evaluator.Queries >= budget) break;
                int before = evaluator.Queries;
                var evaluation = evaluator.Evaluate(index);
                strategy.Tell(index, evaluation.SearchAccuracy);
                if (evaluator.Queries == before) continue;
                var record = new QueryRecord(evaluator.Queries, index, space.Format(space[index]), evaluation.SearchAccuracy, evaluation.TestAccuracy);
                queries.Add(record);
                if (best == null || record.SearchAccuracy > best.SearchAccuracy) best = record;
                if (index == optimum) foundAt ??= record.N;
                progress?.Invoke(record, best);
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
        };
    }
}
