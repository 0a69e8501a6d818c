using System.Globalization;
using System.Text.Json;
using WeakNas.Data;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Benchmarks;

/// <summary>
/// Reads <c>nb101_sample_1k.json</c>-style files: column-wise JSON with one array per key, row i of every
/// array describing cell i. Keys: <c>key</c> (module hash), <c>adjacency</c> (7×7, padded), <c>operations</c>
/// (-1 input, 0 conv3x3, 1 conv1x1, 2 maxpool, -2 output, -3 padding vertex), <c>{e}_final_validation_accuracy</c>
/// for budgets e (one training repeat), and optionally <c>final_training_time</c> (of the 108-epoch run) and
/// <c>trainable_parameters</c>. Padding vertices are dropped before hashing, and every key must be the hash of
/// its cell. The file has no test accuracy: the table's test values are NaN.
/// </summary>
public static class NasBench101SampleJson
{
    private const string ValidationSuffix = "_final_validation_accuracy";
    private const int Padding = -3;

    /// <summary>Reads the file; problems are <see cref="InvalidInputException"/>s naming the file and row.</summary>
    public static NasBench101Table Read(string path) => JsonTableFile.Read(path, "NAS-Bench-101 sample", Read);

    /// <summary>Reads the file's bytes; <paramref name="source"/> names it in messages.</summary>
    public static NasBench101Table Parse(string source, byte[] bytes) => JsonTableFile.Parse(source, bytes, Read);

    private static NasBench101Table Read(JsonElement root, string name, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{name}: expected a JSON object of columns");
        JsonElement Column(string key) =>
            root.TryGetProperty(key, out var column) && column.ValueKind == JsonValueKind.Array
                ? column
                : throw new InvalidInputException($"{name}: missing column '{key}'");
        var keys = Column("key");
        var adjacency = Column("adjacency");
        var operations = Column("operations");
        int rows = keys.GetArrayLength();

        var budgets = new List<(int Epochs, JsonElement Column)>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.EndsWith(ValidationSuffix, StringComparison.Ordinal)
                && int.TryParse(property.Name.AsSpan(0, property.Name.Length - ValidationSuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int epochs))
                budgets.Add((epochs, property.Value));
        }
        if (!budgets.Any(b => b.Epochs == NasBench101Benchmark.SearchEpochs))
            throw new InvalidInputException($"{name}: missing column '{NasBench101Benchmark.SearchEpochs}{ValidationSuffix}'");
        JsonElement? times = root.TryGetProperty("final_training_time", out var t) ? t : null;
        JsonElement? parameters = root.TryGetProperty("trainable_parameters", out var p) ? p : null;
        foreach (var (label, column) in new[] { ("adjacency", adjacency), ("operations", operations) }.Concat(budgets.Select(b => ($"{b.Epochs}{ValidationSuffix}", b.Column))))
            if (column.GetArrayLength() != rows)
                throw new InvalidInputException($"{name}: column '{label}' has {column.GetArrayLength()} rows, 'key' has {rows}");

        var builder = new NasBench101TableBuilder();
        for (int row = 0; row < rows; row++)
        {
            string key = keys[row].GetString() ?? "";
            if (!NasBench101Hash.TryParse(key, out var hash)) throw new InvalidInputException($"{name} row {row}: key '{key}' is not a module hash");
            var cell = ReadCell(adjacency[row], operations[row], name, row);
            var computed = NasBench101Hash.Of(cell);
            if (computed != hash) throw new InvalidInputException($"{name} row {row}: key {key} is not the hash of its cell {cell} (which is {computed})");
            if (builder.TryGetRow(hash, out int earlier)) throw new InvalidInputException($"{name} row {row}: key {key} repeats row {earlier}");
            int index = builder.AddCell(hash, cell, parameters is { } ps && row < ps.GetArrayLength() ? ps[row].GetInt32() : 0);
            foreach (var (epochs, column) in budgets)
            {
                double time = epochs == NasBench101Benchmark.SearchEpochs && times is { } ts && row < ts.GetArrayLength() ? ts[row].GetDouble() : double.NaN;
                builder.AddRun(index, epochs, column[row].GetDouble(), double.NaN, time);
            }
        }
        return builder.Build(path);
    }

    private static NasBench101Cell ReadCell(JsonElement adjacency, JsonElement operations, string name, int row)
    {
        int[] ops = operations.EnumerateArray().Select(o => o.GetInt32()).ToArray();
        int[] kept = Enumerable.Range(0, ops.Length).Where(v => ops[v] != Padding).ToArray();
        if (adjacency.GetArrayLength() != ops.Length)
            throw new InvalidInputException($"{name} row {row}: {adjacency.GetArrayLength()} adjacency rows for {ops.Length} operations");
        var matrix = new int[kept.Length, kept.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            var line = adjacency[kept[i]];
            for (int j = 0; j < kept.Length; j++) matrix[i, j] = (int)line[kept[j]].GetDouble();
        }
        var labels = kept.Select(v => (NasBench101Op)ops[v]).ToArray();
        if (!NasBench101Cell.TryCreate(matrix, labels, out var cell, out string? error))
            throw new InvalidInputException($"{name} row {row}: {error}");
        return cell;
    }
}
