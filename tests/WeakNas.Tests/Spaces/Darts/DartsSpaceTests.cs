using System.Text.Json;
using WeakNas.Numerics;
using WeakNas.Spaces.Darts;

namespace WeakNas.Tests.Spaces.Darts;

/// <summary>The DARTS space: its three text forms, canonical key, sampling, neighbours, encodings and parameter counts.</summary>
public class DartsSpaceTests
{
    // DARTS's published genotypes (genotypes.py of the DARTS repository), as DARTS prints them.
    internal const string DartsV2 = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    internal const string DartsV1 = "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])";

    private static readonly DartsSpace Space = DartsSpace.Instance;

    [Fact]
    public void Parameter_counts_match_darts_published_networks_exactly()
    {
        var v2 = Space.Parse(DartsV2);
        var v1 = Space.Parse(DartsV1);
        Assert.Equal(3_349_342, DartsParameters.Count(v2, DartsParameters.Network.Cifar10));
        Assert.Equal(3_169_414, DartsParameters.Count(v1, DartsParameters.Network.Cifar10));
        Assert.Equal(4_718_752, DartsParameters.Count(v2, DartsParameters.Network.ImageNet1k));
    }

    [Fact]
    public void A_genotype_prints_as_darts_prints_it_and_python_range_concats_parse()
    {
        var v2 = Space.Parse(DartsV2);
        Assert.Equal(DartsV2, Space.Format(v2));
        string python = DartsV2.Replace("[2, 3, 4, 5]", "range(2, 6)", StringComparison.Ordinal).Replace('\'', '"');
        Assert.Equal(v2, Space.Parse(python));
        // Whitespace and field order do not matter; the concat may be left out.
        Assert.Equal(v2, Space.Parse("Genotype( reduce = " + DartsFormats.Genotype(v2).Split("reduce=")[1].Split(", reduce_concat")[0]
            + ", normal=" + DartsFormats.Genotype(v2).Split("normal=")[1].Split(", normal_concat")[0] + ")"));
    }

    /// <summary>Every genotype of NASLib's 725-architecture file, in all three forms.</summary>
    public static IEnumerable<string> Keys()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(TestData.Folder, "darts", "zc_nasbench301_725.json")));
        return [.. document.RootElement.GetProperty("cifar10").EnumerateObject().Select(p => p.Name)];
    }

    [SharedDataFact]
    public void Every_genotype_of_the_725_file_round_trips_exactly_through_all_three_forms()
    {
        var keys = Keys().ToList();
        Assert.Equal(725, keys.Count);
        foreach (string key in keys)
        {
            var g = Space.Parse(key);
            Assert.Equal(key, DartsFormats.Compact(g));
            string genotype = DartsFormats.Genotype(g);
            Assert.Equal(g, Space.Parse(genotype));
            Assert.Equal(genotype, DartsFormats.Genotype(DartsFormats.ParseGenotype(genotype)));
            // The configuration lists a node's edges by input: it gives the genotype with each node's edges in that order,
            // the same network (the same canonical key), and prints back exactly.
            string config = DartsFormats.Config(g);
            var back = Space.Parse(config);
            Assert.Equal(Space.CanonicalKey(g), Space.CanonicalKey(back));
            Assert.Equal(config, DartsFormats.Config(back));
            for (int cell = 0; cell < 2; cell++)
                for (int e = 0; e < DartsGenotype.EdgesPerCell; e += 2)
                {
                    var edges = back.Cell(cell == 1);
                    Assert.True(edges[e].Input < edges[e + 1].Input);
                    var original = g.Cell(cell == 1);
                    Assert.Equal(new[] { original[e], original[e + 1] }.OrderBy(x => x.Input), new[] { edges[e], edges[e + 1] });
                }
            Assert.Equal(DartsFormats.Compact(back), DartsFormats.Compact(Space.Parse(DartsFormats.Genotype(back))));
        }
    }

    [Fact]
    public void The_configuration_names_nas_bench_301s_edges_and_inputs()
    {
        var json = JsonDocument.Parse(DartsFormats.Config(Space.Parse(DartsV2))).RootElement;
        string p = DartsFormats.ConfigPrefix;
        // Node 2 reads 0 and 1 (edges 0, 1); node 3 reads 0 and 1 (edges 2, 3); node 4 reads 0 and 1 (5, 6); node 5 reads 0 and 2 (9, 11).
        Assert.Equal("sep_conv_3x3", json.GetProperty(p + "edge_normal_0").GetString());
        Assert.Equal("sep_conv_3x3", json.GetProperty(p + "edge_normal_6").GetString());
        Assert.Equal("skip_connect", json.GetProperty(p + "edge_normal_5").GetString());
        Assert.Equal("skip_connect", json.GetProperty(p + "edge_normal_9").GetString());
        Assert.Equal("dil_conv_3x3", json.GetProperty(p + "edge_normal_11").GetString());
        Assert.Equal("0_2", json.GetProperty(p + "inputs_node_normal_5").GetString());
        Assert.Equal("1_2", json.GetProperty(p + "inputs_node_reduce_3").GetString());
        Assert.False(json.TryGetProperty(p + "inputs_node_normal_2", out _));
        Assert.Equal(8 + 3 + 8 + 3, json.EnumerateObject().Count());
        // NAS-Bench-301's other hyperparameters are ignored.
        var withOthers = DartsFormats.Config(Space.Parse(DartsV2)).TrimEnd('}') + $", \"{p}init_channels\": 32, \"OptimizerSelector:sgd:learning_rate\": 0.1}}";
        Assert.Equal(Space.CanonicalKey(Space.Parse(DartsV2)), Space.CanonicalKey(Space.Parse(withOthers)));
    }

    public static TheoryData<string, string> BadTexts() => new()
    {
        { "Genotype(normal=[('sep_conv_3x3', 0)], reduce=[])", "the normal cell has 1 edges, expected 8" },
        { DartsV2.Replace("('dil_conv_3x3', 2)", "('dil_conv_3x3', 5)", StringComparison.Ordinal), "normal edge 7 (into node 5) reads node 5; a node reads nodes 0 to 4" },
        { DartsV2.Replace("('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1)", "('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)", StringComparison.Ordinal), "its two inputs must differ" },
        { DartsV2.Replace("dil_conv_3x3", "conv_7x1_1x7", StringComparison.Ordinal), "unknown operation 'conv_7x1_1x7'" },
        { DartsV2.Replace("('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat", "('skip_connect', 2), ('none', 1)], reduce_concat", StringComparison.Ordinal), "the darts space has no 'none' operation" },
        { DartsV2.Replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=[2, 3, 4, 5, 6]", StringComparison.Ordinal), "reduce_concat is [2, 3, 4, 5, 6]; this space's cells concatenate nodes 2 to 5" },
        { DartsV2.Replace("normal=", "normals=", StringComparison.Ordinal), "Genotype has no field 'normals'" },
        { DartsV2[..^1], "expected ')', found the end" },
        { "[[(0, 0), (1, 7), (0, 1), (1, 1), (0, 1), (1, 1), (0, 1), (1, 1)], [(0, 0), (1, 0), (0, 1), (1, 1), (0, 1), (1, 1), (0, 1), (1, 1)]]", "normal edge 1: operation 7 is outside 0..6" },
        { "[[(0, 0), (1, 0)]]", "NASLib's compact form is two cells" },
        { "{\"NetworkSelectorDatasetInfo:darts:edge_normal_0\": \"sep_conv_3x3\"}", "node 2 of the normal cell reads node 1, but 'NetworkSelectorDatasetInfo:darts:edge_normal_1' is missing" },
        { "{\"NetworkSelectorDatasetInfo:darts:edge_normal_0\": \"sep_conv_3x3\", \"NetworkSelectorDatasetInfo:darts:edge_normal_1\": \"sep_conv_3x3\"}", "no 'NetworkSelectorDatasetInfo:darts:inputs_node_normal_3'" },
        { "{\"NetworkSelectorDatasetInfo:darts:edge_normal_14\": \"sep_conv_3x3\"}", "'NetworkSelectorDatasetInfo:darts:edge_normal_14' is not a choice of the DARTS cells" },
        { "{\"NetworkSelectorDatasetInfo:darts:inputs_node_normal_3\": \"2_1\"}", "expected two of the nodes 0 to 2, lower first" },
        { "sep_conv_3x3", "expected a DARTS genotype" },
    };

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void Bad_texts_are_refused_saying_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Space.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_whose_edges_disagree_with_its_inputs_is_refused()
    {
        string config = DartsFormats.Config(Space.Parse(DartsV2));
        string moved = config.Replace("\"NetworkSelectorDatasetInfo:darts:inputs_node_normal_5\":\"0_2\"", "\"NetworkSelectorDatasetInfo:darts:inputs_node_normal_5\":\"0_3\"", StringComparison.Ordinal);
        Assert.NotEqual(config, moved);
        var e = Assert.Throws<FormatException>(() => Space.Parse(moved));
        Assert.Contains("'NetworkSelectorDatasetInfo:darts:edge_normal_11' names an edge from node 2 into node 5, which reads nodes 0 and 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_two_edges_of_a_node_commute_in_the_key_and_the_encodings()
    {
        var v2 = Space.Parse(DartsV2);
        var swapped = Swap(v2, reduction: false, edge: 6);
        Assert.NotEqual(v2, swapped);
        Assert.Equal(Space.CanonicalKey(v2), Space.CanonicalKey(swapped));
        Assert.Equal(Encode(v2), Encode(swapped));
        Assert.Equal(Path(v2), Path(swapped));
        // A different operation is a different network.
        var changed = Space.Neighbours(v2)[0];
        Assert.NotEqual(Space.CanonicalKey(v2), Space.CanonicalKey(changed));
        Assert.NotEqual(Encode(v2), Encode(changed));
    }

    [Fact]
    public void With_none_the_input_of_a_none_edge_does_not_matter()
    {
        var space = DartsSpace.WithNone;
        var a = space.Parse(DartsV2.Replace("('dil_conv_3x3', 2)", "('none', 2)", StringComparison.Ordinal));
        var b = space.Parse(DartsV2.Replace("('dil_conv_3x3', 2)", "('none', 4)", StringComparison.Ordinal));
        Assert.Equal(space.CanonicalKey(a), space.CanonicalKey(b));
        Assert.Equal(Encode(a), Encode(b));
        Assert.Throws<ArgumentException>(() => DartsFormats.Compact(a));
        // Its neighbours never include a network equal to it (moving the none edge is no change).
        Assert.DoesNotContain(space.Neighbours(a), n => space.CanonicalKey(n) == space.CanonicalKey(a));
    }

    [Fact]
    public void Sampling_draws_each_nodes_inputs_without_replacement_and_operations_uniformly()
    {
        var rng = new Rng(5);
        const int n = 40_000;
        var pairs = new Dictionary<(int, int), int>();
        var ops = new int[7];
        for (int i = 0; i < n; i++)
        {
            var g = Space.Sample(rng);
            var node5 = (g.Reduce[6].Input, g.Reduce[7].Input);
            pairs[node5] = pairs.GetValueOrDefault(node5) + 1;
            ops[(int)g.Normal[7].Op]++;
        }
        // Node 5 reads two of nodes 0-4: 20 ordered pairs, each 1/20 of the draws (within 10 %).
        Assert.Equal(20, pairs.Count);
        Assert.All(pairs.Values, count => Assert.InRange(count, 0.9 * n / 20, 1.1 * n / 20));
        Assert.All(ops, count => Assert.InRange(count, 0.9 * n / 7, 1.1 * n / 7));
    }

    [Fact]
    public void A_genotype_has_120_neighbours_one_edge_apart()
    {
        var v1 = Space.Parse(DartsV1);
        var neighbours = Space.Neighbours(v1);
        // Per cell: 8 edges × 6 other operations, and 0 + 2 + 4 + 6 other inputs for nodes 2 to 5.
        Assert.Equal(2 * (8 * 6 + 12), neighbours.Count);
        foreach (var n in neighbours)
        {
            int differing = v1.Normal.Zip(n.Normal).Count(p => p.First != p.Second) + v1.Reduce.Zip(n.Reduce).Count(p => p.First != p.Second);
            Assert.Equal(1, differing);
        }
    }

    [Fact]
    public void The_path_encoding_counts_the_second_edge_of_node_5()
    {
        var v2 = Space.Parse(DartsV2);
        // Normal edge 7 is node 5's second edge (dil_conv_3x3 from node 2): changing its operation changes the paths.
        var changed = Space.Parse(DartsV2.Replace("('dil_conv_3x3', 2)", "('sep_conv_5x5', 2)", StringComparison.Ordinal));
        Assert.NotEqual(Path(v2), Path(changed));
        // Counted by hand. Normal cell: nodes 2, 3 and 4 read only the inputs (2 paths each); node 5 reads input 0 and
        // node 2 (1 + 2). Reduction cell: node 2 reads the inputs (2); nodes 3, 4 and 5 each read node 2 and an input (2 + 1).
        var paths = DartsPathEncoding.Paths(v2).ToList();
        Assert.Equal(6 + 3, paths.Count(p => p.Cell == 0));
        Assert.Equal(2 + 3 + 3 + 3, paths.Count(p => p.Cell == 1));
        Assert.Contains((0, 2, 3 * 7 + 5, 0), paths); // input 0 -sep_conv_3x3-> node 2 -dil_conv_3x3-> node 5
    }

    [Fact]
    public void The_provider_describes_a_genotype_for_a_training_script()
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        DartsProvider.Instance.Describe(DartsV2, json);
        Assert.Equal(DartsV2, (string?)json["genotype"]);
        Assert.Equal(DartsFormats.Compact(Space.Parse(DartsV2)), (string?)json["compact"]);
        Assert.Equal(3_349_342, (long)json["params"]!["cifar10"]!);
        Assert.Equal(4_718_752, (long)json["params"]!["imagenet"]!);
        Assert.Equal("dil_conv_3x3", (string?)json["normal"]![7]!["op"]);
        Assert.Equal(5, (int)json["normal"]![7]!["to"]!);
        Assert.Equal("0_2", (string?)json["config"]![DartsFormats.ConfigPrefix + "inputs_node_normal_5"]);
        Assert.Equal(System.Numerics.BigInteger.Parse("1076746950455072400", System.Globalization.CultureInfo.InvariantCulture), DartsProvider.Instance.Networks);
    }

    private static DartsGenotype Swap(DartsGenotype g, bool reduction, int edge)
    {
        var normal = g.Normal.ToArray();
        var reduce = g.Reduce.ToArray();
        var cell = reduction ? reduce : normal;
        (cell[edge], cell[edge + 1]) = (cell[edge + 1], cell[edge]);
        return new DartsGenotype(normal, reduce);
    }

    private static float[] Encode(DartsGenotype g)
    {
        var v = new float[DartsSpace.Instance.EncodingLength];
        DartsSpace.EncodeAdjacency(g, v);
        return v;
    }

    private static float[] Path(DartsGenotype g)
    {
        var v = new float[DartsPathEncoding.Length];
        DartsPathEncoding.Encode(g, v);
        return v;
    }
}
