using System.Globalization;
using System.Text.Json;
using WeakNas.Data;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Benchmarks;

/// <summary>
/// Reads NAS-Bench-101 results in the official API's in-memory layout, as JSON (<c>nb101_api_30.json</c>):
/// an object from module hash to <c>{module_adjacency, module_operations, trainable_parameters,
/// computed_stats: {epochs: [one object per training repeat with final_validation_accuracy,
/// final_test_accuracy, final_training_time, ...]}}</c>. Every hash must be the hash of its cell.
/// </summary>
public static class NasBench101ApiJson
{
    /// <summary>Reads the file; problems are <see cref="InvalidInputException"/>s naming the file and hash.</summary>
    public static NasBench101Table Read(string path) => JsonTableFile.Read(path, "NAS-Bench-101 API file", Read);

    /// <summary>Reads the file's bytes; <paramref name="source"/> names it in messages.</summary>
    public static NasBench101Table Parse(string source, byte[] bytes) => JsonTableFile.Parse(source, bytes, Read);

    private static NasBench101Table Read(JsonElement root, string name, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{name}: expected a JSON object from module hash to cell data");
        var builder = new NasBench101TableBuilder();
        foreach (var entry in root.EnumerateObject())
        {
            string where = $"{name} hash {entry.Name}";
            if (!NasBench101Hash.TryParse(entry.Name, out var hash)) throw new InvalidInputException($"{where}: not a module hash");
            var data = entry.Value;
            var rows = data.GetProperty("module_adjacency").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            var ops = data.GetProperty("module_operations").EnumerateArray().Select(o => o.GetString() ?? "").ToArray();
            var matrix = new int[rows.Length, rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Length != rows.Length) throw new InvalidInputException($"{where}: module_adjacency row {i} has {rows[i].Length} entries, expected {rows.Length}");
                for (int j = 0; j < rows.Length; j++) matrix[i, j] = rows[i][j];
            }
            if (!NasBench101Cell.TryCreate(matrix, ops, out var cell, out string? error)) throw new InvalidInputException($"{where}: {error}");
            var computed = NasBench101Hash.Of(cell);
            if (computed != hash) throw new InvalidInputException($"{where}: not the hash of its cell {cell} (which is {computed})");
            if (builder.TryGetRow(hash, out _)) throw new InvalidInputException($"{where}: appears twice");
            int parameters = data.TryGetProperty("trainable_parameters", out var p) ? p.GetInt32() : 0;
            int row = builder.AddCell(hash, cell, parameters);
            foreach (var budget in data.GetProperty("computed_stats").EnumerateObject())
            {
                if (!int.TryParse(budget.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int epochs) || epochs <= 0)
                    throw new InvalidInputException($"{where}: computed_stats key '{budget.Name}' is not a number of epochs");
                foreach (var run in budget.Value.EnumerateArray())
                    builder.AddRun(row, epochs, Number(run, "final_validation_accuracy"), Number(run, "final_test_accuracy"), Number(run, "final_training_time"));
            }
        }
        if (builder.Count == 0) throw new InvalidInputException($"{name}: no cells");
        return builder.Build(path);
    }

    private static double Number(JsonElement run, string key) => run.TryGetProperty(key, out var value) ? value.GetDouble() : double.NaN;
}
