namespace WeakNas.Strategies;

/// <summary>
/// An ask/tell search strategy over an enumerable space, working on architecture indices. Its proposals
/// depend only on its seed and on what it has been told, so replaying the history rebuilds it.
/// A strategy never evaluates: the caller does, then tells it the search metric.
/// </summary>
public interface ISearchStrategy
{
    string Name { get; }

    /// <summary>
    /// Proposes between 1 and <paramref name="maxCount"/> architectures never told before (fewer only when
    /// the space is exhausted; then possibly none). Batch strategies return their natural batch.
    /// </summary>
    IReadOnlyList<int> Ask(int maxCount);

    /// <summary>Records the search metric (higher is better) of an evaluated architecture.</summary>
    void Tell(int index, double searchAccuracy);

    /// <summary>
    /// Records an architecture that will never have a result (its evaluation failed): it is not proposed again and
    /// teaches the strategy nothing. Replayed in order with the tells, it rebuilds the same state.
    /// </summary>
    void Exclude(int index);
}
