using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Spaces.MobileNetV3;

namespace WeakNas.Tests.Spaces.MobileNetV3;

public class OfaLatencyTableTests
{
    private static BenchmarkData Data => BenchmarkData.FromFolder(TestData.Shared!);

    [SharedDataTheory]
    [InlineData("i7-8700k", 1.0, 160)]
    [InlineData("i7-8700k", 1.2, 236)]
    [InlineData("i7-8700k", 1.0, 256)]
    [InlineData("note10", 1.2, 224)]
    [InlineData("note10", 1.2, 160)]
    public void Every_layer_of_any_subnet_is_in_the_table(string device, double width, int resolution)
    {
        // The keys are built from the network's shapes; a wrong channel count, side or flag would miss the table.
        var table = OfaLatencyTable.Load(Data, device);
        var space = new OfaMobileNetV3Space(width, [resolution]);
        var rng = new Rng(11);
        var latencies = new List<double>();
        for (int i = 0; i < 300; i++) latencies.Add(table.Latency(space.Sample(rng), width));
        Assert.All(latencies, l => Assert.True(l > 0));
        var smallest = space.Parse($"{{\"ks\":[{string.Join(",", Enumerable.Repeat(3, 20))}],\"e\":[{string.Join(",", Enumerable.Repeat(3, 20))}],\"d\":[2,2,2,2,2]}}");
        var largest = space.Parse($"{{\"ks\":[{string.Join(",", Enumerable.Repeat(7, 20))}],\"e\":[{string.Join(",", Enumerable.Repeat(6, 20))}],\"d\":[4,4,4,4,4]}}");
        Assert.True(table.Latency(smallest, width) < latencies.Min());
        Assert.True(table.Latency(largest, width) > latencies.Max());
    }

    [SharedDataFact]
    public void The_latency_is_the_sum_of_the_layers_means_in_the_file()
    {
        var space = new OfaMobileNetV3Space(1.0, [224]);
        var subnet = space.Sample(new Rng(3));
        var means = OfaLatencyTable.Parse(Path.Combine(TestData.Shared!, "ofa", "i7-8700K_lut.yaml"));
        var layers = OfaLatencyTable.Layers(subnet, 1.0, note10: false).ToList();
        Assert.Equal(2 + subnet.ActiveBlocks + 3, layers.Count);
        Assert.Equal("first_conv-input:224x224x3-output:112x112x16", layers[0]);
        Assert.Equal("MBConv-input:112x112x16-output:112x112x16-expand:1-kernel:3-stride:1-idskip:1-se:0", layers[1]);
        Assert.Equal("classifier-input:1280-output:1000", layers[^1]);
        Assert.Equal(layers.Sum(k => means[k]), OfaLatencyTable.Load(Data, "i7-8700k").Latency(subnet, 1.0), 12);
    }

    [SharedDataFact]
    public void A_layer_or_resolution_the_table_lacks_is_named()
    {
        var note10 = OfaLatencyTable.Load(Data, "note10");
        var w10 = new OfaMobileNetV3Space(1.0, [224]).Sample(new Rng(1));
        Assert.Contains("the note10 latency table", Assert.Throws<InvalidInputException>(() => note10.Latency(w10, 1.0)).Message);
        var r236 = new OfaMobileNetV3Space(1.2, [236]).Sample(new Rng(1));
        Assert.Contains("has resolutions 160, 164,", Assert.Throws<InvalidInputException>(() => note10.Latency(r236, 1.2)).Message);
    }

    [Fact]
    public void A_malformed_table_is_named_by_file_and_line()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "lut.yaml");
        File.WriteAllText(path, "first_conv-input:224x224x3-output:112x112x16:\n  mean: 1.5\n  var: 0.1\nclassifier-input:1280-output:1000:\n  mean: fast\n");
        Assert.Equal($"{path}:5: mean 'fast' of 'classifier-input:1280-output:1000' is not a non-negative number",
            Assert.Throws<InvalidInputException>(() => OfaLatencyTable.Parse(path)).Message);
        File.WriteAllText(path, "first_conv-input:224x224x3-output:112x112x16:\n  var: 0.1\n");
        Assert.Contains(":1: layer 'first_conv-input:224x224x3-output:112x112x16' has no mean", Assert.Throws<InvalidInputException>(() => OfaLatencyTable.Parse(path)).Message);
        Assert.Contains("not embedded: pass --data", Assert.Throws<InvalidInputException>(() => OfaLatencyTable.Load(BenchmarkData.Embedded, "note10")).Message);
    }
}

public class OfaLatencyModelTests
{
    [SharedDataFact]
    public void The_per_block_model_ranks_held_out_subnets_of_helps_batch_64_gpus_well()
    {
        var measured = OfaMeasuredLatency.Load(BenchmarkData.FromFolder(TestData.Shared!));
        Assert.Equal(5000, measured.Subnets.Count);
        Assert.Equal(OfaMeasuredLatency.KnownDevices, measured.Devices.Select(d => d.Device));
        var latency = measured.Devices.First(d => d.Device == "titan_rtx_64").Latency;
        var model = OfaLatencyModel.Fit([.. measured.Subnets.Take(4000)], [.. latency.Take(4000)]);
        var actual = latency.Skip(4000).ToArray();
        var predicted = measured.Subnets.Skip(4000).Select(model.Predict).ToArray();
        double tau = WeakNas.Numerics.RankCorrelation.KendallTau(actual, predicted);
        Assert.True(tau > 0.9, $"Kendall tau {tau:F3}");
    }

    [Fact]
    public void The_model_recovers_block_costs_it_was_made_from()
    {
        // Latencies made additive by construction: the fit must give them back on new subnets.
        var space = new OfaMobileNetV3Space(1.2, [160, 192, 224]);
        var rng = new WeakNas.Numerics.Rng(4);
        double Truth(OfaSubnet s)
        {
            double scale = s.Resolution / 224.0 * (s.Resolution / 224.0), sum = 2 + 3 * scale;
            for (int i = 0; i < OfaSubnet.Slots; i++)
                if (s.IsActive(i)) sum += 0.1 * (i % 4) + s.KernelSize(i) * 0.05 + scale * s.ExpandRatio(i) * 0.2;
            return sum;
        }
        var train = Enumerable.Range(0, 1500).Select(_ => space.Sample(rng)).ToList();
        var model = OfaLatencyModel.Fit(train, [.. train.Select(Truth)]);
        for (int i = 0; i < 50; i++)
        {
            var s = space.Sample(rng);
            // Exact but for the tiny ridge that picks among collinear terms (the constant and the always-active slots).
            Assert.True(Math.Abs(Truth(s) - model.Predict(s)) < 1e-4, $"{model.Predict(s)} for {Truth(s)}");
        }
    }
}
