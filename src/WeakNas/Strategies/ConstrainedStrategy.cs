using WeakNas.Hardware;

namespace WeakNas.Strategies;

/// <summary>
/// A strategy searching under a constraint: the inner strategy was built with the constraint's <c>Admits</c> as its
/// admissible set, and this wrapper carries the run's <see cref="ConstraintRun"/> to the search loop, which measures
/// evaluated architectures with it and reports against the constrained optimum. As a safety net it also holds back any
/// proposal the constraint does not admit (excluding it from the inner strategy), so no strategy can evaluate what the
/// constraint rejects.
/// </summary>
public sealed class ConstrainedStrategy : ISearchStrategy
{
    // Rounds of asking again after every proposal of a batch was held back.
    private const int MaxRounds = 100;

    private readonly ISearchStrategy _inner;

    public ConstrainedStrategy(ISearchStrategy inner, ConstraintRun constraint)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Constraint = constraint ?? throw new ArgumentNullException(nameof(constraint));
    }

    public ConstraintRun Constraint { get; }

    public ISearchStrategy Inner => _inner;

    public string Name => _inner.Name;

    /// <summary>Proposals held back because the constraint did not admit them (0 for a constraint-aware inner strategy).</summary>
    public int HeldBack { get; private set; }

    public IReadOnlyList<int> Ask(int maxCount)
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            var batch = _inner.Ask(maxCount);
            if (batch.Count == 0) return batch;
            var admitted = new List<int>(batch.Count);
            foreach (int index in batch)
            {
                if (Constraint.Admits(index)) admitted.Add(index);
                else
                {
                    _inner.Exclude(index);
                    HeldBack++;
                }
            }
            if (admitted.Count > 0) return admitted;
        }
        return [];
    }

    public void Tell(int index, double searchAccuracy) => _inner.Tell(index, searchAccuracy);

    public void Exclude(int index) => _inner.Exclude(index);
}
