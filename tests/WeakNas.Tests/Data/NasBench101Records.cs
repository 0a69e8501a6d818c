using WeakNas.Tests.Spaces.NasBench101;

namespace WeakNas.Tests.Data;

/// <summary>TFRecord files in the official NAS-Bench-101 layout, made from the 30 cells of the shared API file.</summary>
internal static class NasBench101Records
{
    /// <summary>
    /// One record per cell, budget and repeat, repeat-major as the official files interleave them. The 108-epoch
    /// records carry the file's numbers; with <paramref name="withBudget36"/>, 36-epoch records carry its
    /// halfway numbers (a stand-in for nasbench_full.tfrecord's extra budgets).
    /// </summary>
    public static List<byte[]> FromApiFile(bool withBudget36 = false)
    {
        var records = new List<byte[]>();
        var cells = NasBench101Files.ApiCells();
        for (int repeat = 0; repeat < 3; repeat++)
        {
            foreach (var cell in cells)
            {
                var run = cell.Runs[repeat];
                if (withBudget36)
                    records.Add(Record(cell, 36, run.HalfValid, run.HalfTest, run.HalfTime));
                records.Add(Record(cell, 108, run.Valid, run.Test, run.Time));
            }
        }
        return records;
    }

    public static byte[] Record(NasBench101Files.ApiCell cell, int epochs, double valid, double test, double time, string? hash = null)
    {
        byte[] metrics = TfRecordTestFile.Metrics(cell.Parameters, time + 10,
        [
            TfRecordTestFile.Evaluation(0, 0, 0.1, 0.1, 0.1, ""),
            TfRecordTestFile.Evaluation(epochs / 2.0, time / 2, 0.5, 0.5, 0.5, ""),
            TfRecordTestFile.Evaluation(epochs, time, 1.0, valid, test, $"model.ckpt-{epochs}"),
        ]);
        return TfRecordTestFile.Row(hash ?? cell.Hash, epochs, cell.RawAdjacency, string.Join(',', cell.Ops), metrics);
    }
}
