using System.Diagnostics;
using WeakNas.Spaces;
using WeakNas.Strategies;

namespace WeakNas.Experiments;

/// <summary>
/// Runs one ask/tell strategy over a space with no table (its architectures reached through a catalogue), evaluating
/// each proposal with a function (a stand-in such as once-for-all's accuracy predictor, or anything else that scores an
/// architecture), until the budget is spent. An open space has no known optimum; a <paramref name="target"/> (e.g. the
/// best of a pool) takes its place: the result records the first query at least as good.
/// </summary>
public static class OpenSearchRunner
{
    public static SearchResult Run<TArch>(
        ArchitectureCatalogue<TArch> catalogue, ISearchStrategy strategy, Func<TArch, double> evaluate, int budget, ulong seed, string dataset,
        (string Arch, double Accuracy)? target = null, Action<QueryRecord, QueryRecord>? progress = null, bool stopAtTarget = false,
        CancellationToken interrupt = default)
        where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(evaluate);
        if (budget <= 0) throw new InvalidInputException($"budget must be positive, got {budget}");
        var clock = Stopwatch.StartNew();
        var space = catalogue.Space;
        var evaluated = new HashSet<int>();
        var queries = new List<QueryRecord>(budget);
        QueryRecord? best = null;
        int? reached = null;
        while (queries.Count < budget && !(stopAtTarget && reached != null) && !interrupt.IsCancellationRequested)
        {
            var batch = strategy.Ask(budget - queries.Count);
            if (batch.Count == 0) break;
            foreach (int handle in batch)
            {
                if (queries.Count >= budget || interrupt.IsCancellationRequested) break;
                var arch = catalogue[handle];
                // A repeated proposal is evaluated and told again but not counted, as a tabular benchmark does.
                double accuracy = evaluate(arch);
                strategy.Tell(handle, accuracy);
                if (!evaluated.Add(handle)) continue;
                var record = new QueryRecord(queries.Count + 1, handle, space.Format(arch), accuracy, accuracy);
                queries.Add(record);
                if (best == null || record.SearchAccuracy > best.SearchAccuracy) best = record;
                if (target is { } t && accuracy >= t.Accuracy) reached ??= record.N;
                progress?.Invoke(record, best);
            }
        }
        return new SearchResult
        {
            Strategy = strategy.Name,
            Space = space.Name,
            Dataset = dataset,
            Noise = "none",
            Seed = seed,
            Budget = budget,
            Seconds = clock.Elapsed.TotalSeconds,
            Queries = queries,
            Best = best,
            OptimumIndex = -1,
            OptimumArch = target?.Arch ?? "",
            OptimumSearchAccuracy = target?.Accuracy ?? double.NaN,
            FoundOptimumAt = reached,
            Interrupted = interrupt.IsCancellationRequested && queries.Count < budget && !(stopAtTarget && reached != null),
        };
    }
}
