using System.Text.Json;

namespace WeakNas.Tests.Spaces.NasBench101;

/// <summary>The shared NAS-Bench-101 sample files, read plainly with System.Text.Json (independently of the loaders under test).</summary>
internal static class NasBench101Files
{
    public static string Sample => Path.Combine(TestData.Folder, "nasbench101", "nb101_sample_1k.json");

    public static string Api => Path.Combine(TestData.Folder, "nasbench101", "nb101_api_30.json");

    /// <summary>Each sample row: key, the unpadded matrix, its ops as labels, and the 108-epoch validation accuracy.</summary>
    public static IReadOnlyList<(string Key, int[,] Matrix, int[] Labels, double Valid108)> SampleRows()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Sample));
        var root = doc.RootElement;
        var rows = new List<(string, int[,], int[], double)>();
        for (int i = 0; i < root.GetProperty("key").GetArrayLength(); i++)
        {
            int[] ops = root.GetProperty("operations")[i].EnumerateArray().Select(o => o.GetInt32()).ToArray();
            int n = ops.Count(o => o != -3);
            var matrix = new int[n, n];
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++)
                    matrix[a, b] = (int)root.GetProperty("adjacency")[i][a][b].GetDouble();
            rows.Add((root.GetProperty("key")[i].GetString()!, matrix, ops[..n], root.GetProperty("108_final_validation_accuracy")[i].GetDouble()));
        }
        return rows;
    }

    /// <summary>Each API cell: hash, matrix, op names, parameters, and per repeat (validation, test, time) at 108 epochs and (validation, test, time) halfway.</summary>
    public static IReadOnlyList<ApiCell> ApiCells()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Api));
        var cells = new List<ApiCell>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            var rows = entry.Value.GetProperty("module_adjacency").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            var matrix = new int[rows.Length, rows.Length];
            for (int a = 0; a < rows.Length; a++)
                for (int b = 0; b < rows.Length; b++)
                    matrix[a, b] = rows[a][b];
            var ops = entry.Value.GetProperty("module_operations").EnumerateArray().Select(o => o.GetString()!).ToArray();
            var runs = entry.Value.GetProperty("computed_stats").GetProperty("108").EnumerateArray().Select(r => new ApiRun(
                r.GetProperty("final_validation_accuracy").GetDouble(), r.GetProperty("final_test_accuracy").GetDouble(), r.GetProperty("final_training_time").GetDouble(),
                r.GetProperty("halfway_validation_accuracy").GetDouble(), r.GetProperty("halfway_test_accuracy").GetDouble(), r.GetProperty("halfway_training_time").GetDouble(),
                r.GetProperty("final_train_accuracy").GetDouble())).ToArray();
            cells.Add(new ApiCell(entry.Name, matrix, ops, entry.Value.GetProperty("trainable_parameters").GetInt32(), runs));
        }
        return cells;
    }

    internal sealed record ApiRun(double Valid, double Test, double Time, double HalfValid, double HalfTest, double HalfTime, double Train);

    internal sealed record ApiCell(string Hash, int[,] Matrix, string[] Ops, int Parameters, ApiRun[] Runs)
    {
        /// <summary>The adjacency as the official raw_adjacency string.</summary>
        public string RawAdjacency
        {
            get
            {
                int n = Matrix.GetLength(0);
                var chars = new char[n * n];
                for (int i = 0; i < chars.Length; i++) chars[i] = (char)('0' + Matrix[i / n, i % n]);
                return new string(chars);
            }
        }
    }
}
