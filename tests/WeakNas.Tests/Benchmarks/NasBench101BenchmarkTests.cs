using System.Text.Json;
using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Spaces.NasBench101;
using WeakNas.Tests.Spaces.NasBench101;

namespace WeakNas.Tests.Benchmarks;

public class NasBench101BenchmarkTests
{
    [Fact]
    public void The_1k_sample_knows_its_optimum_and_reports_validation_for_test()
    {
        // Read independently: the key with the best 108-epoch validation accuracy.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(NasBench101Files.Sample));
        var keys = doc.RootElement.GetProperty("key").EnumerateArray().Select(k => k.GetString()!).ToArray();
        var valid = doc.RootElement.GetProperty("108_final_validation_accuracy").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        int best = Array.IndexOf(valid, valid.Max());

        var benchmark = NasBench101Benchmark.LoadSample(NasBench101Files.Sample);
        Assert.Equal(1000, benchmark.Space.Count);
        Assert.False(benchmark.Space.IsComplete);
        Assert.Equal(best, benchmark.OptimumIndex);
        Assert.Equal(keys[best], benchmark.Space.CanonicalKey(benchmark.Space[benchmark.OptimumIndex]));
        Assert.Equal(100 * valid[best], benchmark.SearchAccuracy(best), 4);
        Assert.False(benchmark.HasTestAccuracy);
        Assert.Contains("no test accuracy", benchmark.TestMetric);
        Assert.Equal(benchmark.SearchAccuracy(17), benchmark.TestAccuracy(17));
        Assert.False(benchmark.HasPerSeedSearchAccuracy);
        Assert.Equal("cifar10", benchmark.Dataset);
        for (int i = 0; i < keys.Length; i++) Assert.Equal(keys[i], benchmark.Space.HashAt(i).ToString());
    }

    [Fact]
    public void The_api_file_knows_its_optima_and_draws_single_repeats()
    {
        // Read independently: mean over the three repeats of the final validation and test accuracy.
        var cells = NasBench101Files.ApiCells();
        var meanValid = cells.Select(c => c.Runs.Average(r => r.Valid)).ToArray();
        var meanTest = cells.Select(c => c.Runs.Average(r => r.Test)).ToArray();
        int bestValid = Array.IndexOf(meanValid, meanValid.Max());
        int bestTest = Array.IndexOf(meanTest, meanTest.Max());

        var benchmark = NasBench101Benchmark.LoadApiJson(NasBench101Files.Api);
        Assert.Equal(30, benchmark.Space.Count);
        Assert.Equal(bestValid, benchmark.OptimumIndex);
        Assert.Equal(cells[bestValid].Hash, benchmark.Space.HashAt(benchmark.OptimumIndex).ToString());
        Assert.Equal(100 * meanValid[bestValid], benchmark.SearchAccuracy(bestValid), 4);
        Assert.True(benchmark.HasTestAccuracy);
        Assert.Equal("test_acc_108ep", benchmark.TestMetric);
        Assert.Equal("val_acc_108ep", benchmark.SearchMetric);
        int reportBest = Enumerable.Range(0, benchmark.Space.Count).MaxBy(benchmark.TestAccuracy);
        Assert.Equal(cells[bestTest].Hash, benchmark.Space.HashAt(reportBest).ToString());
        Assert.Equal(100 * meanTest[bestTest], benchmark.TestAccuracy(reportBest), 4);

        Assert.True(benchmark.HasPerSeedSearchAccuracy);
        var rng = new Rng(1);
        var draws = Enumerable.Range(0, 300).Select(_ => benchmark.SampleSearchAccuracy(bestValid, rng)).Distinct().ToArray();
        Assert.Equal(cells[bestValid].Runs.Select(r => Math.Round(100 * r.Valid, 4)).Distinct().Order(), draws.Select(d => Math.Round(d, 4)).Order());
    }

    [Fact]
    public void Over_the_enumerated_space_the_table_cells_keep_the_space_order()
    {
        var space = EnumeratedSpace.Value;
        var table = NasBench101ApiJson.Read(NasBench101Files.Api);
        var benchmark = NasBench101Benchmark.FromTable(table, space);
        Assert.Equal(30, benchmark.Space.Count);
        Assert.False(benchmark.Space.IsComplete);
        var spaceIndices = Enumerable.Range(0, 30).Select(i => space.IndexOf(benchmark.Space.HashAt(i))).ToArray();
        Assert.Equal(spaceIndices.Order(), spaceIndices);
        var plain = NasBench101Benchmark.FromTable(table);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(benchmark.Space.HashAt(i), table.Hash(benchmark.TableRow(i)));
            Assert.Equal(plain.SearchAccuracy(benchmark.TableRow(i)), benchmark.SearchAccuracy(i));
        }
        Assert.Equal(plain.Space.HashAt(plain.OptimumIndex), benchmark.Space.HashAt(benchmark.OptimumIndex));
    }

    [Fact]
    public void A_partial_benchmark_space_stays_inside_the_table()
    {
        var benchmark = NasBench101Benchmark.LoadApiJson(NasBench101Files.Api);
        var space = benchmark.Space;
        var rng = new Rng(8);
        for (int i = 0; i < 30; i++)
        {
            int index = space.IndexOf(space.Sample(rng));
            int child = space.IndexOf(space.Mutate(space[index], rng));
            Assert.NotEqual(index, child);
            foreach (var neighbour in space.Neighbours(space[index])) Assert.InRange(space.IndexOf(neighbour), 0, 29);
        }
    }

    [Fact]
    public void The_imported_table_is_looked_for_in_the_data_folder()
    {
        using var dir = new TemporaryFolder();
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Benchmark.Load(dir.Path));
        Assert.Contains(Path.Combine(dir.Path, "nasbench101", "nb101_table.bin"), e.Message);
        Assert.Contains("weaknas data import nb101", e.Message);
    }

    [Fact]
    public void A_sample_whose_key_is_not_its_hash_is_refused()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "bad.json");
        string text = File.ReadAllText(NasBench101Files.Sample);
        string firstKey = NasBench101Files.SampleRows()[0].Key;
        File.WriteAllText(path, text.Replace(firstKey, "00000000000000000000000000000000", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidInputException>(() => NasBench101Benchmark.LoadSample(path));
        Assert.Contains("bad.json row 0: key 00000000000000000000000000000000 is not the hash of its cell", e.Message);
    }
}
