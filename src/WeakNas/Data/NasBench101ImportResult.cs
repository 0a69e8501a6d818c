namespace WeakNas.Data;

/// <summary>What an import of the official NAS-Bench-101 TFRecord file did.</summary>
/// <param name="TablePath">The table written.</param>
/// <param name="Records">Records read (one per cell, budget and training repeat).</param>
/// <param name="Cells">Distinct cells (module hashes).</param>
/// <param name="Budgets">Training budgets found, in epochs.</param>
/// <param name="Repeats">Most training repeats of one cell at one budget.</param>
/// <param name="Seconds">Wall-clock time of the import.</param>
public sealed record NasBench101ImportResult(string TablePath, int Records, int Cells, IReadOnlyList<int> Budgets, int Repeats, double Seconds);
