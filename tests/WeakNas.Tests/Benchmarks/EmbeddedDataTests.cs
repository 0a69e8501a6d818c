using WeakNas.Benchmarks;
using WeakNas.Data;
using WeakNas.Hardware;

namespace WeakNas.Tests.Benchmarks;

public class EmbeddedDataTests
{
    public static TheoryData<string> Files() => new(EmbeddedData.Files.Select(f => f.RelativePath));

    /// <summary>The packed copies in the assembly are the shared files, byte for byte (so value for value).</summary>
    [SharedDataTheory]
    [MemberData(nameof(Files))]
    public void Every_embedded_file_equals_the_shared_original(string relative)
    {
        byte[] original = File.ReadAllBytes(Path.Combine(TestData.Shared!, relative));
        Assert.Equal(original, EmbeddedData.Read(relative).ToArray());
        var info = PackedFile.ReadInfo(EmbeddedData.Packed(relative), relative);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)), info.OriginalSha256);
    }

    [Fact]
    public void The_embedded_tables_hold_the_benchmark_facts()
    {
        var c10 = NasBench201Benchmark.Load(BenchmarkData.Embedded, "cifar10");
        Assert.Equal(6111, c10.OptimumIndex);
        Assert.Equal(91.6067, c10.SearchAccuracy(6111), 4);
        Assert.Equal(94.3733, c10.TestAccuracy(6111), 4);
        Assert.Equal(9930, NasBench201Benchmark.Load(BenchmarkData.Embedded, "cifar100").OptimumIndex);
        Assert.Equal(10676, NasBench201Benchmark.Load(BenchmarkData.Embedded, "imagenet16-120").OptimumIndex);
        var perSeed = NasBench201Benchmark.Load(BenchmarkData.Embedded, "cifar10", perSeed: true);
        Assert.True(perSeed.HasPerSeedSearchAccuracy);
        var latency = NasBench201Hardware.LoadLatency(BenchmarkData.Embedded);
        Assert.Equal(27, latency.Count);
        Assert.Contains(latency, d => d.Device == "pixel3");
        var nb101 = NasBench101Benchmark.LoadEmbeddedSample(BenchmarkData.Embedded, NasBench101Benchmark.SampleFile);
        Assert.Equal(1000, nb101.Space.Count);
        Assert.Equal(30, NasBench101Benchmark.LoadEmbeddedSample(BenchmarkData.Embedded, NasBench101Benchmark.ApiFile).Space.Count);
    }

    [Fact]
    public void A_data_folder_overrides_the_embedded_copies_benchmark_by_benchmark()
    {
        using var dir = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(dir.Path, "nasbench201"));
        // A folder whose means table has one changed accuracy: its file wins.
        var lines = File.ReadAllLines(Path.Combine(TestData.Folder, NasBench201Benchmark.MeansPath));
        var fields = lines[1].Split(',');
        fields[4] = "99.5";
        lines[1] = string.Join(',', fields);
        File.WriteAllLines(Path.Combine(dir.Path, NasBench201Benchmark.MeansPath), lines);
        var data = BenchmarkData.FromFolder(dir.Path);
        var c10 = NasBench201Benchmark.Load(data, "cifar10");
        Assert.Equal(0, c10.OptimumIndex);
        Assert.Equal(99.5, c10.SearchAccuracy(0));

        // Its nasbench201/ lacks the latency table: an error naming the file, never the embedded copy in its place.
        var e = Assert.Throws<InvalidInputException>(() => NasBench201Hardware.LoadLatency(data));
        Assert.Contains(Path.Combine(dir.Path, "nasbench201", NasBench201Hardware.LatencyFile), e.Message);
        Assert.False(data.Has(NasBench201Hardware.LatencyPath));

        // It has no nasbench101/: that benchmark's embedded samples serve.
        string sample = "nasbench101/" + NasBench101Benchmark.SampleFile;
        Assert.True(data.Has(sample));
        Assert.EndsWith("(" + EmbeddedData.Description + ")", data.SourceOf(sample));
        Assert.Equal(1000, NasBench101Benchmark.LoadEmbeddedSample(data, NasBench101Benchmark.SampleFile).Space.Count);
    }

    [Fact]
    public void Unpack_writes_a_data_folder_that_loads_as_the_embedded_tables()
    {
        using var dir = new TemporaryFolder();
        var written = EmbeddedData.Extract(dir.Path);
        Assert.Equal(EmbeddedData.Files.Count, written.Count);
        var fromFolder = NasBench201Benchmark.Load(dir.Path, "cifar100");
        var embedded = NasBench201Benchmark.Load(BenchmarkData.Embedded, "cifar100");
        for (int i = 0; i < fromFolder.Space.Count; i++)
        {
            Assert.Equal(embedded.SearchAccuracy(i), fromFolder.SearchAccuracy(i));
            Assert.Equal(embedded.TestAccuracy(i), fromFolder.TestAccuracy(i));
        }
    }

    [Fact]
    public void A_missing_data_folder_is_one_error()
    {
        var e = Assert.Throws<InvalidInputException>(() => DataFolder.Resolve("no/such/folder"));
        Assert.Equal("benchmark data folder 'no/such/folder' does not exist", e.Message);
    }

    /// <summary>
    /// The committed resources are what <c>weaknas data pack</c> makes from the shared files (two of them here: packing
    /// the large tables takes half a minute at Brotli's best quality).
    /// </summary>
    [SharedDataTheory]
    [InlineData("nasbench101/nb101_api_30.json")]
    [InlineData("nasbench101/nb101_sample_1k.json")]
    public void Packing_the_shared_file_gives_the_committed_resource(string relative)
    {
        bool isTable = EmbeddedData.Files.Single(f => f.RelativePath == relative).IsTable;
        byte[] packed = PackedFile.Pack(Path.GetFileName(relative), File.ReadAllBytes(Path.Combine(TestData.Shared!, relative)), isTable);
        Assert.Equal(EmbeddedData.Packed(relative), packed);
    }
}
