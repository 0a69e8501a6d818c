using WeakNas.Spaces.Declared;

namespace WeakNas.Tests.Spaces.Declared;

/// <summary>Declared spaces the tests share.</summary>
internal static class DeclaredSpaces
{
    public static readonly string[] Nb201Ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];
    public static readonly string[] Nb201Edges = ["edge_0_1", "edge_0_2", "edge_1_2", "edge_0_3", "edge_1_3", "edge_2_3"];

    /// <summary>NAS-Bench-201's cell as a declaration: 6 edges, 5 ops each.</summary>
    public static string Nb201Json =>
        "{\"name\": \"nb201-declared\", \"decisions\": ["
        + string.Join(", ", Nb201Edges.Select(e => $"{{\"name\": \"{e}\", \"choices\": [{string.Join(", ", Nb201Ops.Select(o => $"\"{o}\""))}]}}"))
        + "]}";

    public static DeclaredSpace Nb201 => DeclaredSpaceFile.Parse(Nb201Json, "nb201.json");

    /// <summary>Two stages of depth 1 to 3; a block exists only when its stage is deep enough; a width range.</summary>
    public const string StagesYaml = """
        name: stages
        decisions:
          width: {range: {low: 16, high: 64, step: 16}}
          depth1: {choices: [1, 2, 3]}
          s1b1: {choices: [conv3x3, conv5x5, mbconv]}
          s1b2: {choices: [conv3x3, conv5x5, mbconv], when: {depth1: [2, 3]}}
          s1b3: {choices: [conv3x3, conv5x5, mbconv], when: {depth1: 3}}
          depth2: {choices: [1, 2, 3]}
          s2b1: {choices: [conv3x3, conv5x5, mbconv]}
          s2b2: {choices: [conv3x3, conv5x5, mbconv], when: {depth2: [2, 3]}}
          s2b3: {choices: [conv3x3, conv5x5, mbconv], when: {depth2: [3]}}
          se: {choices: [true, false], when: {depth2: [3], s2b3: [mbconv]}}
        """;

    public static DeclaredSpace Stages => DeclaredSpaceFile.Parse(StagesYaml, "stages.yaml", yaml: true);

    /// <summary>Per-layer block choices: 6 layers × 4 blocks (4,096 architectures).</summary>
    public static DeclaredSpace Layers => DeclaredSpaceFile.Parse(
        "{\"name\": \"layers\", \"decisions\": {" + string.Join(", ", Enumerable.Range(1, 6).Select(l => $"\"layer{l}\": {{\"choices\": [\"conv3\", \"conv5\", \"pool\", \"skip\"]}}")) + "}}",
        "layers.json");

    public const int WideLayers = 30;

    /// <summary>30 layers of 4 blocks each: about 1.2 × 10^18 architectures, too many to list or pool.</summary>
    public static DeclaredSpace Wide { get; } = DeclaredSpaceFile.Parse(
        "{\"name\": \"wide\", \"decisions\": {" + string.Join(", ", Enumerable.Range(1, WideLayers).Select(l => $"\"layer{l}\": {{\"choices\": [\"conv3\", \"conv5\", \"pool\", \"skip\"]}}")) + "}}",
        "wide.json");

    private static readonly double[] WideWeights = MakeWideWeights();

    private static double[] MakeWideWeights()
    {
        var rng = WeakNas.Numerics.Rng.Derive(2026, 12);
        return Enumerable.Range(0, WideLayers * 4).Select(_ => rng.NextDouble()).ToArray();
    }

    /// <summary>A fixed score per layer and block, plus a bonus for neighbouring layers that agree: a smooth landscape over <see cref="Wide"/>.</summary>
    public static double WideScore(DeclaredArchitecture arch)
    {
        double s = 0;
        for (int l = 0; l < WideLayers; l++)
        {
            s += WideWeights[l * 4 + arch[l]];
            if (l > 0 && arch[l] == arch[l - 1]) s += 0.1;
        }
        return s;
    }
}
