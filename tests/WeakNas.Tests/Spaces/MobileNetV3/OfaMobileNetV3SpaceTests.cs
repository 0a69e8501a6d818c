using WeakNas.Numerics;
using WeakNas.Spaces.MobileNetV3;

namespace WeakNas.Tests.Spaces.MobileNetV3;

/// <summary>The once-for-all MobileNetV3 space against the facts of ../shared/data/README.md (FLOPs and parameters as once-for-all counts them).</summary>
public class OfaMobileNetV3SpaceTests
{
    private static readonly OfaMobileNetV3Space Space = new(1.2, [224, 236]);

    private static OfaSubnet Subnet(string ks, string e, string d, int r) => Space.Parse($"{{\"ks\": [{ks}], \"e\": [{e}], \"d\": [{d}], \"r\": {r}}}");

    private const string Ks800 = "3,5,5,5,7,5,7,3,3,7,5,7,3,3,5,5,7,5,3,5", E800 = "4,6,4,4,4,3,4,6,4,6,6,3,6,6,6,3,6,6,4,3", D800 = "2,4,4,4,4";
    private const string Ks1000 = "5,3,3,3,5,5,5,3,7,5,7,5,3,5,5,3,7,5,3,5", E1000 = "3,3,4,3,4,6,4,4,4,6,6,6,6,6,6,4,6,6,6,3", D1000 = "4,3,3,3,4";
    private static readonly string All7 = string.Join(",", Enumerable.Repeat(7, 20)), All6 = string.Join(",", Enumerable.Repeat(6, 20)), All3 = string.Join(",", Enumerable.Repeat(3, 20));

    public static TheoryData<string, string, string, string, double, double, long, long> Facts => new()
    {
        { "WeakNAS-800", Ks800, E800, D800, 593.164, 341.120, 8_577_088, 6_159_240 },
        { "WeakNAS-1000", Ks1000, E1000, D1000, 560.830, 319.391, 8_813_720, 6_323_552 },
        { "largest", All7, All6, "4,4,4,4,4", 969.456, 566.171, 10_701_632, 7_664_760 },
        { "smallest", All3, All3, "2,2,2,2,2", 222.144, 121.279, 4_602_456, 3_410_792 },
    };

    [Theory]
    [MemberData(nameof(Facts))]
    public void Flops_and_parameters_are_once_for_alls(string name, string ks, string e, string d, double flopsW12At236, double flopsW10At224, long paramsW12, long paramsW10)
    {
        var at236 = Subnet(ks, e, d, 236);
        var at224 = Subnet(ks, e, d, 224);
        Assert.True(Math.Abs(flopsW12At236 - OfaMetrics.MegaFlops(at236, 1.2)) < 5e-4, $"{name}: {OfaMetrics.MegaFlops(at236, 1.2)} MFLOPs at w1.2, r236");
        Assert.True(Math.Abs(flopsW10At224 - OfaMetrics.MegaFlops(at224, 1.0)) < 5e-4, $"{name}: {OfaMetrics.MegaFlops(at224, 1.0)} MFLOPs at w1.0, r224");
        Assert.Equal(paramsW12, OfaMetrics.Parameters(at236, 1.2));
        Assert.Equal(paramsW10, OfaMetrics.Parameters(at224, 1.0));
        // Parameters do not depend on the resolution.
        Assert.Equal(paramsW12, OfaMetrics.Parameters(at224, 1.2));
    }

    [Fact]
    public void Inactive_blocks_change_neither_the_key_nor_the_counts_nor_the_encoding()
    {
        var a = Subnet(Ks800, E800, D800, 224);
        // Stage 0 has depth 2: slots 2 and 3 are inactive.
        var ks = a.KernelSizeList();
        ks[2] = 7;
        ks[3] = 3;
        var b = a.With(ks: ks);
        Assert.NotEqual(a, b);
        Assert.Equal(Space.CanonicalKey(a), Space.CanonicalKey(b));
        Assert.Equal(OfaMetrics.Count(a, 1.2), OfaMetrics.Count(b, 1.2));
        var fa = new float[Space.EncodingLength];
        var fb = new float[Space.EncodingLength];
        Space.Encode(a, fa);
        Space.Encode(b, fb);
        Assert.Equal(fa, fb);
        ks[1] = ks[1] == 3 ? 5 : 3;
        Assert.NotEqual(Space.CanonicalKey(a), Space.CanonicalKey(a.With(ks: ks)));
    }

    [Fact]
    public void The_text_form_is_once_for_alls_json_and_mistakes_are_named()
    {
        var a = Subnet(Ks1000, E1000, D1000, 236);
        Assert.Equal($"{{\"ks\":[{Ks1000}],\"e\":[{E1000}],\"d\":[{D1000}],\"r\":236}}", Space.Format(a));
        Assert.Equal(a, Space.Parse($"{{\"ks\": [{Ks1000}], \"e\": [{E1000}], \"d\": [{D1000}], \"r\": [236]}}"));
        var fixedR = new OfaMobileNetV3Space(1.0);
        Assert.Equal(224, fixedR.Parse($"{{\"ks\": [{Ks1000}], \"e\": [{E1000}], \"d\": [{D1000}]}}").Resolution);
        void Bad(string text, string message) => Assert.Equal(message, Assert.Throws<FormatException>(() => Space.Parse(text)).Message);
        Bad($"{{\"ks\": [{Ks1000}], \"e\": [{E1000}], \"d\": [{D1000}]}}", "\"r\" is missing; this space searches the resolutions 224, 236");
        Bad($"{{\"ks\": [{Ks1000}], \"e\": [{E1000}], \"d\": [{D1000}], \"r\": 230}}", "\"r\" is 230; this space searches the resolutions 224, 236");
        Bad($"{{\"ks\": [3,5], \"e\": [{E1000}], \"d\": [{D1000}], \"r\": 224}}", "\"ks\" must hold 20 kernel sizes, got 2");
        Bad($"{{\"ks\": [{Ks1000}], \"e\": [{E1000.Replace("3,3,4", "3,2,4", StringComparison.Ordinal)}], \"d\": [{D1000}], \"r\": 224}}", "\"e\"[1] is 2; expand ratios are 3, 4, 6");
        Bad($"{{\"ks\": [{Ks1000}], \"e\": [{E1000}], \"d\": [4,3,3,3,5], \"r\": 224}}", "\"d\"[4] is 5; depths are 2, 3, 4");
        Bad($"{{\"ks\": [{Ks1000}], \"e\": [{E1000}], \"d\": [{D1000}], \"w\": 1.2}}", "unknown key \"w\" in a once-for-all subnet; expected ks, e, d, r");
        Bad("[1, 2]", "a once-for-all subnet is a JSON object with \"ks\", \"e\", \"d\" (and \"r\")");
        Assert.Throws<InvalidInputException>(() => new OfaMobileNetV3Space(1.1));
    }

    [Fact]
    public void Sampling_reaches_every_choice_and_mutation_changes_one_active_decision()
    {
        var rng = new Rng(4);
        var seen = new HashSet<(int Slot, int Ks, int E)>();
        var depths = new HashSet<(int Stage, int D)>();
        var resolutions = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            var s = Space.Sample(rng);
            for (int slot = 0; slot < OfaSubnet.Slots; slot++) seen.Add((slot, s.KernelSize(slot), s.ExpandRatio(slot)));
            for (int stage = 0; stage < OfaSubnet.Stages; stage++) depths.Add((stage, s.Depth(stage)));
            resolutions.Add(s.Resolution);
            var m = Space.Mutate(s, rng);
            int changed = 0;
            for (int slot = 0; slot < OfaSubnet.Slots; slot++)
            {
                if (m.KernelSize(slot) != s.KernelSize(slot)) { changed++; Assert.True(s.IsActive(slot)); }
                if (m.ExpandRatio(slot) != s.ExpandRatio(slot)) { changed++; Assert.True(s.IsActive(slot)); }
            }
            for (int stage = 0; stage < OfaSubnet.Stages; stage++) if (m.Depth(stage) != s.Depth(stage)) changed++;
            if (m.Resolution != s.Resolution) changed++;
            Assert.Equal(1, changed);
        }
        Assert.Equal(20 * 9, seen.Count);
        Assert.Equal(15, depths.Count);
        Assert.Equal([224, 236], resolutions.Order());
        // Neighbours: 2 other values per active kernel size and expand ratio, per depth and for the resolution.
        var largest = Subnet(All7, All6, "4,4,4,4,4", 224);
        Assert.Equal(2 * 20 * 2 + 5 * 2 + 1, Space.Neighbours(largest).Count);
    }
}

/// <summary>once-for-all's accuracy predictor read from ../shared/data/ofa/acc_predictor.pth against the README's predictions.</summary>
public class OfaAccuracyPredictorTests
{
    // The copy embedded in the library (checked byte for byte against the shared file by the embedded-data tests).
    private static readonly Lazy<OfaAccuracyPredictor> Predictor = new(() => OfaAccuracyPredictor.Load(WeakNas.Benchmarks.BenchmarkData.Embedded));
    private static readonly OfaMobileNetV3Space Space = new(1.2, [160, 224]);

    public static TheoryData<string, string, string, int, double> Facts => new()
    {
        { "3,5,5,5,7,5,7,3,3,7,5,7,3,3,5,5,7,5,3,5", "4,6,4,4,4,3,4,6,4,6,6,3,6,6,6,3,6,6,4,3", "2,4,4,4,4", 224, 0.825478 },
        { "5,3,3,3,5,5,5,3,7,5,7,5,3,5,5,3,7,5,3,5", "3,3,4,3,4,6,4,4,4,6,6,6,6,6,6,4,6,6,6,3", "4,3,3,3,4", 224, 0.828686 },
        { string.Join(",", Enumerable.Repeat(7, 20)), string.Join(",", Enumerable.Repeat(6, 20)), "4,4,4,4,4", 224, 0.835928 },
        { string.Join(",", Enumerable.Repeat(3, 20)), string.Join(",", Enumerable.Repeat(3, 20)), "2,2,2,2,2", 224, 0.777386 },
        { string.Join(",", Enumerable.Repeat(3, 20)), string.Join(",", Enumerable.Repeat(3, 20)), "2,2,2,2,2", 160, 0.753119 },
    };

    [Theory]
    [MemberData(nameof(Facts))]
    public void Predictions_are_the_published_ones(string ks, string e, string d, int r, double expected)
    {
        var subnet = Space.Parse($"{{\"ks\": [{ks}], \"e\": [{e}], \"d\": [{d}], \"r\": {r}}}");
        Assert.True(Math.Abs(expected - Predictor.Value.PredictFraction(subnet)) < 1e-5, $"predicted {Predictor.Value.PredictFraction(subnet):F7}, README {expected}");
        Assert.Equal(100 * Predictor.Value.PredictFraction(subnet), Predictor.Value.Predict(subnet));
    }

    [Fact]
    public void A_file_that_is_not_the_predictor_is_one_error_naming_it()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "acc.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x4b, 0x07, 0x2e]);
        var e = Assert.Throws<InvalidInputException>(() => OfaAccuracyPredictor.Load(path));
        Assert.StartsWith($"{path}: not a legacy PyTorch file", e.Message);
        Assert.Throws<InvalidInputException>(() => OfaAccuracyPredictor.Load(Path.Combine(dir.Path, "missing.pth")));
        var tooLow = new OfaMobileNetV3Space(1.2, [96]).Sample(new WeakNas.Numerics.Rng(1));
        Assert.Contains("covers resolutions 112 to 239, not 96", Assert.Throws<InvalidInputException>(() => OfaAccuracyPredictor.Features(tooLow)).Message);
    }
}

/// <summary>`weaknas space metrics ofa-mbv3`: the README's counts and predictions for a file of subnets.</summary>
public class OfaSpaceMetricsCommandTests
{
    private const string Subnets = """
        # the WeakNAS paper's two subnets
        {"ks": [5,3,3,3,5,5,5,3,7,5,7,5,3,5,5,3,7,5,3,5], "e": [3,3,4,3,4,6,4,4,4,6,6,6,6,6,6,4,6,6,6,3], "d": [4,3,3,3,4], "r": [224]}

        {"ks": [3,5,5,5,7,5,7,3,3,7,5,7,3,3,5,5,7,5,3,5], "e": [4,6,4,4,4,3,4,6,4,6,6,3,6,6,6,3,6,6,4,3], "d": [2,4,4,4,4]}
        """;

    [SharedDataFact]
    public void Prints_flops_parameters_and_the_prediction_of_each_line()
    {
        using var dir = new TemporaryFolder();
        string file = Path.Combine(dir.Path, "subnets.txt");
        File.WriteAllText(file, Subnets);
        var (code, stdout, stderr) = WeakNas.Tests.Cli.CliRunner.Run("space", "metrics", "ofa-mbv3", "--width", "1.0", "--archs", file, "--data", TestData.Shared!);
        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal("line,arch,mflops,params,predicted_top1", lines[0]);
        Assert.EndsWith(",319.391,6323552,82.8686", lines[1]);
        Assert.StartsWith("2,", lines[1]);
        Assert.EndsWith(",341.120,6159240,82.5478", lines[2]);
        Assert.StartsWith("4,", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Without_data_the_embedded_predictor_serves_and_a_bad_line_is_named()
    {
        using var dir = new TemporaryFolder();
        string file = Path.Combine(dir.Path, "subnets.txt");
        File.WriteAllText(file, Subnets);
        var (code, stdout, stderr) = WeakNas.Tests.Cli.CliRunner.Run("space", "metrics", "ofa-mbv3", "--width", "1.2", "--resolution", "224", "--archs", file);
        Assert.True(code == 0, stderr);
        Assert.Equal("line,arch,mflops,params,predicted_top1", stdout.Split('\n')[0]);
        Assert.EndsWith(",8813720,82.8686", stdout.Trim().Split('\n')[1]);
        string bare = Path.Combine(dir.Path, "bare.txt");
        File.WriteAllText(bare, "{\"ks\": [" + string.Join(",", Enumerable.Repeat(3, 20)) + "], \"e\": [" + string.Join(",", Enumerable.Repeat(3, 20)) + "], \"d\": [2,2,2,2,2]}\n");
        var low = WeakNas.Tests.Cli.CliRunner.Run("space", "metrics", "ofa-mbv3", "--resolution", "96", "--archs", bare);
        Assert.True(low.Code == 0, low.Err);
        Assert.Contains("no predicted_top1 column", low.Err);
        Assert.Equal("line,arch,mflops,params", low.Out.Split('\n')[0]);
        WeakNas.Tests.Cli.CliRunner.AssertOneLineError(WeakNas.Tests.Cli.CliRunner.Run("space", "metrics", "ofa-mbv3", "--resolution", "236", "--archs", file),
            $"{file}:2: \"r\" is 224; this space searches the resolution 236");
        WeakNas.Tests.Cli.CliRunner.AssertOneLineError(WeakNas.Tests.Cli.CliRunner.Run("space", "metrics", "ofa-mbv3", "--width", "0.75", "--archs", file),
            "once-for-all MobileNetV3 width must be 1.0 or 1.2, got 0.75");
        WeakNas.Tests.Cli.CliRunner.AssertOneLineError(WeakNas.Tests.Cli.CliRunner.Run("space", "metrics", "nb999", "--archs", file), "space metrics: unknown space 'nb999'; expected ofa-mbv3");
    }
}
