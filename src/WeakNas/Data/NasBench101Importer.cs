using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeakNas.Numerics;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Data;

/// <summary>
/// Imports the official NAS-Bench-101 data (<c>nasbench_only108.tfrecord</c> or <c>nasbench_full.tfrecord</c>)
/// into a <see cref="NasBench101Table"/>. Each TFRecord holds a JSON array
/// <c>[module_hash, epochs, raw_adjacency, raw_operations, base64 ModelMetrics]</c>: the adjacency as n·n
/// digits row-major, the ops comma-separated, and the serialized protobuf of one training run. Each
/// (hash, epochs) pair appears once per training repeat. The final evaluation of a run (the last
/// <c>evaluation_data</c>) gives its validation and test accuracy and training time.
/// <para>
/// Everything is checked before anything is written: both CRCs of every record, the JSON and protobuf,
/// that each cell is valid, and that each module hash is the hash of its cell. The table is then written
/// atomically, so a failed import leaves no table (and no temporary file) behind; an existing table at the
/// destination stays as it was.
/// </para>
/// </summary>
public static class NasBench101Importer
{
    /// <summary>Imports <paramref name="tfrecordPath"/> and writes the table to <paramref name="tablePath"/>.</summary>
    /// <param name="threads">Cores for checking the hashes (default: <see cref="Parallelism.MaxThreads"/>).</param>
    public static NasBench101ImportResult Import(string tfrecordPath, string tablePath, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(tfrecordPath);
        ArgumentNullException.ThrowIfNull(tablePath);
        var clock = Stopwatch.StartNew();
        string name = Path.GetFileName(tfrecordPath);
        var builder = new NasBench101TableBuilder();
        var origin = new List<TfRecord>();
        int records = 0;
        using (var reader = TfRecordReader.Open(tfrecordPath))
        {
            while (reader.TryRead(out var record))
            {
                records++;
                try
                {
                    AddRecord(record.Data.Span, builder, origin, record);
                }
                catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or ArgumentException)
                {
                    throw new InvalidInputException(At(name, record, e.Message), e);
                }
            }
        }
        if (records == 0) throw new InvalidInputException($"{name}: no records; expected the NAS-Bench-101 TFRecord file");

        CheckHashes(builder, origin, name, threads ?? Parallelism.MaxThreads);
        var table = builder.Build(tfrecordPath);
        try
        {
            table.Write(tablePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write the table to {tablePath}: {e.Message}", e);
        }
        return new NasBench101ImportResult(Path.GetFullPath(tablePath), records, table.Count, table.Budgets, table.Repeats, clock.Elapsed.TotalSeconds);
    }

    private static string At(string name, TfRecord record, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}: record {record.Number} at byte {record.Offset}: {problem}");

    private static void AddRecord(ReadOnlySpan<byte> data, NasBench101TableBuilder builder, List<TfRecord> origin, TfRecord record)
    {
        var json = new Utf8JsonReader(data);
        Next(ref json, JsonTokenType.StartArray, "the record is not a JSON array");
        Next(ref json, JsonTokenType.String, "item 1 (module hash) is not a string");
        string hashText = json.GetString()!;
        if (!NasBench101Hash.TryParse(hashText, out var hash)) throw new FormatException($"module hash '{hashText}' is not 32 hex digits");
        Next(ref json, JsonTokenType.Number, "item 2 (epochs) is not a number");
        if (!json.TryGetInt32(out int epochs) || epochs <= 0) throw new FormatException("item 2 (epochs) is not a positive integer");
        Next(ref json, JsonTokenType.String, "item 3 (adjacency) is not a string");
        string adjacency = json.GetString()!;
        Next(ref json, JsonTokenType.String, "item 4 (operations) is not a string");
        string operations = json.GetString()!;
        Next(ref json, JsonTokenType.String, "item 5 (metrics) is not a string");
        byte[] serialized = json.GetBytesFromBase64();
        Next(ref json, JsonTokenType.EndArray, "the record has more than 5 items");

        NasBench101ModelMetrics metrics;
        try
        {
            metrics = NasBench101ModelMetrics.Parse(serialized);
        }
        catch (FormatException e)
        {
            throw new FormatException($"ModelMetrics protobuf: {e.Message}", e);
        }
        var final = metrics.Final ?? throw new FormatException("ModelMetrics has no evaluation_data");
        Accuracy("validation accuracy", final.ValidationAccuracy);
        Accuracy("test accuracy", final.TestAccuracy);
        if (!double.IsFinite(final.TrainingTime) || final.TrainingTime < 0)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"training time {final.TrainingTime} s is not a finite number of 0 or more"));
        if (metrics.TrainableParameters < 0) throw new FormatException($"trainable parameters {metrics.TrainableParameters} is negative");

        // Every record's cell is parsed and checked, not only the first record of each module: a later repeat whose
        // adjacency or ops disagree with the first is as wrong as a first one that is garbage.
        var cell = ParseCell(adjacency, operations);
        if (!builder.TryGetRow(hash, out int row))
        {
            row = builder.AddCell(hash, cell, metrics.TrainableParameters);
            origin.Add(record with { Data = default });
        }
        else
        {
            var first = origin[row];
            if (builder.Cell(row).Code != cell.Code)
                throw new FormatException($"module hash {hash}: this record's cell (adjacency {adjacency}, ops {operations}) is not the cell of its record {first.Number} ({builder.Cell(row)})");
            if (builder.Parameters(row) != metrics.TrainableParameters)
                throw new FormatException($"module hash {hash}: {metrics.TrainableParameters} trainable parameters, its record {first.Number} says {builder.Parameters(row)}");
        }
        builder.AddRun(row, epochs, final.ValidationAccuracy, final.TestAccuracy, final.TrainingTime);
    }

    /// <summary>An accuracy is a fraction: finite, in [0, 1].</summary>
    private static void Accuracy(string what, double value)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{what} {value} is not a fraction in [0, 1]"));
    }

    private static void Next(ref Utf8JsonReader json, JsonTokenType expected, string problem)
    {
        if (!json.Read() || json.TokenType != expected) throw new FormatException(problem);
    }

    private static NasBench101Cell ParseCell(string adjacency, string operations)
    {
        int n = (int)Math.Round(Math.Sqrt(adjacency.Length));
        if (n == 0 || n * n != adjacency.Length) throw new FormatException($"adjacency '{adjacency}' has {adjacency.Length} digits, not n·n");
        var matrix = new int[n, n];
        for (int i = 0; i < adjacency.Length; i++)
        {
            char c = adjacency[i];
            if (c is not ('0' or '1')) throw new FormatException($"adjacency '{adjacency}' has '{c}' at position {i + 1}; expected 0 or 1");
            matrix[i / n, i % n] = c - '0';
        }
        string[] ops = operations.Split(',');
        if (!NasBench101Cell.TryCreate(matrix, ops, out var cell, out string? error))
            throw new FormatException($"invalid cell (adjacency {adjacency}, ops {operations}): {error}");
        return cell;
    }

    private static void CheckHashes(NasBench101TableBuilder builder, List<TfRecord> origin, string name, int threads)
    {
        var codes = new uint[builder.Count];
        for (int row = 0; row < codes.Length; row++) codes[row] = builder.Cell(row).Code;
        var computed = NasBench101Enumerator.HashAll(codes, threads);
        for (int row = 0; row < codes.Length; row++)
        {
            if (computed[row] != builder.Hash(row))
                throw new InvalidInputException(At(name, origin[row],
                    $"module hash {builder.Hash(row)} is not the hash of its cell {builder.Cell(row)} (which is {computed[row]})"));
        }
    }
}
