using System.Text.Json.Nodes;
using WeakNas.Strategies;

namespace WeakNas.Spaces.NasBench201;

/// <summary>NAS-Bench-201: the listed cell space, its three datasets, hardware tables (HW-NAS-Bench), studies.</summary>
public sealed class NasBench201Provider : IListedSpaceProvider<NasBench201Cell>
{
    public static NasBench201Provider Instance { get; } = new();

    private NasBench201Provider()
    {
        var space = NasBench201Space.Instance;
        OneHot = new ArchitectureEncoding<NasBench201Cell>(space.EncodingLength, space.Encode, () => SearchSpaceExtensions.EncodeAll(space));
        Ordinal = new ArchitectureEncoding<NasBench201Cell>(NasBench201Cell.EdgeCount, EncodeOrdinal);
        Path = new ArchitectureEncoding<NasBench201Cell>(NasBench201PathEncoding.Length, NasBench201PathEncoding.Encode, () => NasBench201PathEncoding.EncodeAll(space));
    }

    public string Name => NasBench201Space.Instance.Name;

    public string Title => "NAS-Bench-201";

    public int Version => 1;

    public IReadOnlyList<string> Datasets { get; } = ["cifar10", "cifar100", "imagenet16-120"];

    public IReadOnlyList<string> BenchDatasets => Datasets;

    public WeakNasOptions Defaults { get; } = new();

    public WeakNasOptions Paper => WeakNasOptions.Paper;

    public bool HasHardwareTables => true;

    /// <summary>Parameters (millions, the dataset's table) and latency on the HW-NAS-Bench devices (ms).</summary>
    public IReadOnlyList<string> Metrics { get; } = ["params", "latency:DEVICE"];

    public bool HasStudies => true;

    public IEnumerableSearchSpace<NasBench201Cell> Space => NasBench201Space.Instance;

    public ArchitectureEncoding<NasBench201Cell> OneHot { get; }

    public ArchitectureEncoding<NasBench201Cell> Ordinal { get; }

    /// <summary>One-hot ops, as the paper.</summary>
    public ArchitectureEncoding<NasBench201Cell> Predictor => OneHot;

    public ArchitectureEncoding<NasBench201Cell> Path { get; }

    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => (visitor ?? throw new ArgumentNullException(nameof(visitor))).Visit(this);

    public string Normalize(string text) => NasBench201Cell.Parse(text).Format();

    /// <summary>The cell's six edges (from, to, op), so a script need not parse the text form.</summary>
    public void Describe(string arch, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var cell = NasBench201Cell.Parse(arch);
        var edges = new JsonArray();
        for (int e = 0; e < NasBench201Cell.EdgeCount; e++)
        {
            edges.Add(new JsonObject
            {
                ["from"] = NasBench201Cell.EdgeSource(e), ["to"] = NasBench201Cell.EdgeTarget(e), ["op"] = NasBench201Cell.OpName(cell[e]),
            });
        }
        json["edges"] = edges;
    }

    /// <summary>Each edge's op as its number (none 0 … avg_pool_3x3 4).</summary>
    private static void EncodeOrdinal(NasBench201Cell cell, Span<float> destination)
    {
        for (int e = 0; e < NasBench201Cell.EdgeCount; e++) destination[e] = (int)cell[e];
    }
}
