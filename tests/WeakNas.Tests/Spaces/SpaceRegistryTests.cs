using System.Text.Json.Nodes;
using WeakNas.Experiments;
using WeakNas.Numerics;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
using WeakNas.Spaces.NasBench101;
using WeakNas.Spaces.NasBench201;
using WeakNas.Tests.Spaces.Declared;

namespace WeakNas.Tests.Spaces;

/// <summary>One provider per space: what commands used to decide by switching on the space's name.</summary>
public class SpaceRegistryTests
{
    [Fact]
    public void Built_in_spaces_are_found_by_name_and_an_unknown_name_lists_them()
    {
        Assert.Equal(["nb201", "nb101", "ofa-mbv3", "darts", "darts-none"], SpaceRegistry.Names);
        Assert.Same(NasBench201Provider.Instance, SpaceRegistry.Get("nb201"));
        Assert.Same(NasBench101Provider.Instance, SpaceRegistry.Get("nb101"));
        Assert.Null(SpaceRegistry.Find("nb301"));
        var e = Assert.Throws<InvalidInputException>(() => SpaceRegistry.Get("nb301"));
        Assert.Equal("unknown space 'nb301'; expected one of nb201, nb101, ofa-mbv3, darts, darts-none or a declaration file (.json, .yaml)", e.Message);
        Assert.Equal("nb201", SpaceRegistry.WithHardwareTables);
    }

    [Fact]
    public void Each_provider_carries_the_defaults_and_datasets_commands_used_to_hard_code()
    {
        var nb201 = NasBench201Provider.Instance;
        Assert.Equal(["cifar10", "cifar100", "imagenet16-120"], nb201.Datasets);
        Assert.Equal(new WeakNas.Strategies.WeakNasOptions().ToString(), nb201.Defaults.ToString());
        Assert.Equal([256, 256, 256, 256], nb201.Defaults.Predictor.HiddenLayers);
        Assert.Same(WeakNas.Strategies.WeakNasOptions.Paper, nb201.Paper);
        Assert.True(nb201.HasHardwareTables && nb201.HasStudies);
        Assert.Equal(["params", "latency:DEVICE"], nb201.Metrics);
        var nb101 = NasBench101Provider.Instance;
        Assert.Equal(["cifar10"], nb101.Datasets);
        // The project's defaults since issue 20; --paper gives the paper's NAS-Bench-101 setting.
        Assert.Equal(nb201.Defaults.ToString(), nb101.Defaults.ToString());
        Assert.Equal((100, 10, 100, WeakNas.Strategies.WeakNasTargets.Value), (nb101.Paper.InitialSamples, nb101.Paper.SamplesPerIteration, nb101.Paper.TopStart, nb101.Paper.Targets));
        Assert.False(nb101.HasHardwareTables || nb101.HasStudies);
        Assert.Equal(["params"], nb101.Metrics);
        var declared = new DeclaredSpaceProvider(DeclaredSpaces.Stages);
        Assert.Equal(("stages", 0, false, true), (declared.Name, declared.Datasets.Count, declared.HasHardwareTables, declared.HasStudies));
    }

    [Fact]
    public void NasBench201_encoders_are_the_published_runs_matrices_and_the_ordinal_form_is_one_op_per_edge()
    {
        var p = NasBench201Provider.Instance;
        Assert.Equal(SearchSpaceExtensions.EncodeAll(NasBench201Space.Instance), p.Predictor.Listed);
        Assert.Equal(NasBench201PathEncoding.EncodeAll(NasBench201Space.Instance), p.Path.Listed);
        var cell = NasBench201Cell.Parse("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|skip_connect~2|");
        var ordinal = new float[p.Ordinal.Length];
        p.Ordinal.Encode(cell, ordinal);
        Assert.Equal([3f, 0, 1, 4, 2, 1], ordinal);
        // Distinct cells, distinct ordinal rows.
        var rows = new HashSet<string>();
        for (int i = 0; i < NasBench201Space.Instance.Count; i++)
        {
            p.Ordinal.Encode(NasBench201Space.Instance[i], ordinal);
            Assert.True(rows.Add(string.Join(",", ordinal)));
        }
    }

    [Fact]
    public void NasBench101_ordinal_encoding_holds_the_adjacency_and_the_interior_ops()
    {
        var p = NasBench101Provider.Instance;
        var cell = NasBench101Cell.Create(new[,] { { 0, 1, 1, 0 }, { 0, 0, 0, 1 }, { 0, 0, 0, 1 }, { 0, 0, 0, 0 } }, ["input", "conv3x3-bn-relu", "maxpool3x3", "output"]);
        var row = new float[p.Ordinal.Length];
        p.Ordinal.Encode(cell, row);
        Assert.Equal(26, row.Length);
        // Edges 0→1, 0→2 (positions 0, 1), 1→3 (6 + 1), 2→3 (6 + 5 + 0).
        Assert.Equal([0, 1, 7, 11], row[..21].Select((v, i) => (v, i)).Where(x => x.v == 1).Select(x => x.i));
        Assert.Equal([(float)NasBench101Op.Conv3x3, (float)NasBench101Op.MaxPool3x3, -1, -1, -1], row[21..]);
    }

    [Fact]
    public void A_training_command_gets_what_each_space_adds()
    {
        var json = new JsonObject();
        NasBench201Provider.Instance.Describe("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|skip_connect~2|", json);
        Assert.Equal("""[{"from":0,"to":1,"op":"nor_conv_3x3"},{"from":0,"to":2,"op":"none"},{"from":1,"to":2,"op":"skip_connect"},{"from":0,"to":3,"op":"avg_pool_3x3"},{"from":1,"to":3,"op":"nor_conv_1x1"},{"from":2,"to":3,"op":"skip_connect"}]""",
            json["edges"]!.ToJsonString());
        var nb101 = new JsonObject();
        var cell = NasBench101Cell.Create(new[,] { { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 0 } }, ["input", "conv1x1-bn-relu", "output"]);
        NasBench101Provider.Instance.Describe(cell.Format(), nb101);
        Assert.Equal("[[0,1,0],[0,0,1],[0,0,0]]", nb101["matrix"]!.ToJsonString());
        Assert.Equal("""["input","conv1x1-bn-relu","output"]""", nb101["ops"]!.ToJsonString());
        var declared = new JsonObject();
        var stages = new DeclaredSpaceProvider(DeclaredSpaces.Stages);
        string arch = DeclaredSpaces.Stages.Format(DeclaredSpaces.Stages.Sample(new Rng(3)));
        stages.Describe(arch, declared);
        Assert.Equal(arch, declared["decisions"]!.ToJsonString());
    }

    [Fact]
    public void Normalize_gives_the_standard_text_and_names_what_is_malformed()
    {
        var rng = new Rng(5);
        var nb201 = NasBench201Space.Instance;
        for (int i = 0; i < 20; i++)
        {
            var cell = nb201.Sample(rng);
            Assert.Equal(cell.Format(), NasBench201Provider.Instance.Normalize(cell.Format()));
        }
        Assert.ThrowsAny<FormatException>(() => NasBench201Provider.Instance.Normalize("|conv~0|"));
        var stages = new DeclaredSpaceProvider(DeclaredSpaces.Stages);
        Assert.Equal(DeclaredSpaces.Stages.Format(DeclaredSpaces.Stages.Parse("""{"width": 32.0, "depth1": 1, "s1b1": "conv3x3", "depth2": 1, "s2b1": "mbconv"}""")),
            stages.Normalize("""{"width": 32.0, "depth1": 1, "s1b1": "conv3x3", "depth2": 1, "s2b1": "mbconv"}"""));
    }

    [Fact]
    public void A_study_space_comes_from_the_provider_and_a_space_without_studies_is_refused()
    {
        Assert.Same(NasBench201Provider.Instance, WeakNas.Studies.StudySpace.Get("nb201").Provider);
        Assert.Equal(15625, WeakNas.Studies.StudySpace.Get("nb201").Size);
        var e = Assert.Throws<InvalidInputException>(() => WeakNas.Studies.StudySpace.Get("nb101"));
        Assert.Equal("studies support the spaces nb201, ofa-mbv3, darts, darts-none or a declaration file (.json, .yaml); got 'nb101'", e.Message);
        Assert.Same(NasBench201Setup.Encodings.Predictor, SpaceEncodings.Of(NasBench201Provider.Instance).Predictor);
    }
}
