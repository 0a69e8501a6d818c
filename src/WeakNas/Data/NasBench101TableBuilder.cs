using WeakNas.Spaces.NasBench101;

namespace WeakNas.Data;

/// <summary>
/// Collects cells and training runs in any order and makes a <see cref="NasBench101Table"/>: budgets are the
/// distinct epochs seen, repeats the most runs of one cell at one budget, and runs fill repeats in the
/// order they were added.
/// </summary>
internal sealed class NasBench101TableBuilder
{
    private readonly Dictionary<NasBench101Hash, int> _rows = [];
    private readonly List<NasBench101Hash> _hashes = [];
    private readonly List<uint> _codes = [];
    private readonly List<int> _parameters = [];
    private readonly List<Run> _runs = [];

    private readonly record struct Run(int Row, int Epochs, float Validation, float Test, float Time);

    public int Count => _hashes.Count;

    public bool TryGetRow(NasBench101Hash hash, out int row) => _rows.TryGetValue(hash, out row);

    public NasBench101Cell Cell(int row) => NasBench101Cell.FromValidCode(_codes[row]);

    public int Parameters(int row) => _parameters[row];

    public NasBench101Hash Hash(int row) => _hashes[row];

    /// <summary>Adds a cell and returns its row; the hash must be new.</summary>
    public int AddCell(NasBench101Hash hash, NasBench101Cell cell, int parameters)
    {
        int row = _hashes.Count;
        _rows.Add(hash, row);
        _hashes.Add(hash);
        _codes.Add(cell.Code);
        _parameters.Add(parameters);
        return row;
    }

    public void AddRun(int row, int epochs, double validation, double test, double time) =>
        _runs.Add(new Run(row, epochs, (float)validation, (float)test, (float)time));

    public NasBench101Table Build(string source)
    {
        int[] budgets = _runs.Select(r => r.Epochs).Distinct().Order().ToArray();
        if (budgets.Length == 0) throw new InvalidInputException($"{source}: no training results");
        var budgetIndex = new Dictionary<int, int>();
        for (int b = 0; b < budgets.Length; b++) budgetIndex[budgets[b]] = b;
        int rows = _hashes.Count;
        var seen = new int[rows * budgets.Length];
        int repeats = 0;
        foreach (var run in _runs) repeats = Math.Max(repeats, ++seen[run.Row * budgets.Length + budgetIndex[run.Epochs]]);
        Array.Clear(seen);

        const int PerRun = 3;
        var values = new float[(long)rows * budgets.Length * repeats * PerRun];
        Array.Fill(values, float.NaN);
        foreach (var run in _runs)
        {
            int slot = run.Row * budgets.Length + budgetIndex[run.Epochs];
            int at = (slot * repeats + seen[slot]++) * PerRun;
            values[at] = run.Validation;
            values[at + 1] = run.Test;
            values[at + 2] = run.Time;
        }
        return new NasBench101Table([.. _hashes], [.. _codes], [.. _parameters], budgets, repeats, values, source);
    }
}
