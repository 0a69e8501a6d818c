using System.Numerics;
using System.Text.Json.Nodes;
using WeakNas.Strategies;

namespace WeakNas.Spaces.Darts;

/// <summary>
/// The DARTS cell space (<c>darts</c>: NAS-Bench-301's 7 operations; <c>darts-none</c>: with the zero operation). It has
/// no table of its own: it is searched over a user table (<c>--table</c>, e.g. NASLib's zc_nasbench301 file or a CSV
/// with an <c>arch</c> column in any of the three text forms) or with the user's training command (<c>--evaluate</c>),
/// in a pool or with fresh candidates. Its metric beside accuracy is <c>params</c>: millions of parameters of DARTS's
/// CIFAR-10 evaluation network, counted exactly (<see cref="DartsParameters"/>).
/// </summary>
public sealed class DartsProvider : ISpaceProvider<DartsGenotype>
{
    public static DartsProvider Instance { get; } = new(DartsSpace.Instance);

    public static DartsProvider WithNone { get; } = new(DartsSpace.WithNone);

    private DartsProvider(DartsSpace space)
    {
        Space = space;
        OneHot = ArchitectureEncoding<DartsGenotype>.Own(space);
        Path = new ArchitectureEncoding<DartsGenotype>(DartsPathEncoding.Length, DartsPathEncoding.Encode);
        Ordinal = new ArchitectureEncoding<DartsGenotype>(2 * 2 * DartsGenotype.EdgesPerCell, EncodeOrdinal);
    }

    /// <summary>The provider of a space name (darts, darts-none), or null.</summary>
    public static DartsProvider? Find(string name) => name == Instance.Name ? Instance : name == WithNone.Name ? WithNone : null;

    public DartsSpace Space { get; }

    public string Name => Space.Name;

    public string Title => Space.IncludeNone ? "DARTS (with none)" : "DARTS";

    public int Version => 1;

    public IReadOnlyList<string> Datasets { get; } = [];

    public IReadOnlyList<string> BenchDatasets => Datasets;

    public WeakNasOptions Defaults { get; } = new();

    public WeakNasOptions Paper => WeakNasOptions.Paper;

    public bool HasHardwareTables => false;

    /// <summary>Millions of parameters of the CIFAR-10 evaluation network (36 channels, 20 cells).</summary>
    public IReadOnlyList<string> Metrics { get; } = ["params"];

    public bool HasStudies => true;

    /// <summary>Adjacency one-hot of both cells (<see cref="DartsSpace.EncodeAdjacency"/>), the predictor's.</summary>
    public ArchitectureEncoding<DartsGenotype> OneHot { get; }

    /// <summary>Per edge of both cells of the canonical genotype: its input (scaled by 1/5) and its operation (by 1/7); 32 numbers.</summary>
    public ArchitectureEncoding<DartsGenotype> Ordinal { get; }

    public ArchitectureEncoding<DartsGenotype> Predictor => OneHot;

    /// <summary>BANANAS's path encoding (<see cref="DartsPathEncoding"/>).</summary>
    public ArchitectureEncoding<DartsGenotype> Path { get; }

    /// <summary>Genotypes counted as networks: a node's two edges are an unordered pair of (input, operation) with distinct inputs.</summary>
    public BigInteger Networks
    {
        get
        {
            BigInteger cell = 1;
            for (int node = 2; node <= 5; node++) cell *= node * (node - 1) / 2 * Space.Ops.Count * Space.Ops.Count;
            return cell * cell;
        }
    }

    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => (visitor ?? throw new ArgumentNullException(nameof(visitor))).Visit(this);

    public string Normalize(string text) => Space.Format(Space.Parse(text));

    /// <summary>
    /// What a DARTS training script needs: the genotype in DARTS's text (<c>eval("Genotype(...)")</c> with DARTS's
    /// namedtuple), NASLib's compact form (without none), NAS-Bench-301's configuration, the cells' edges as
    /// {from, to, op}, and the evaluation networks' parameter counts.
    /// </summary>
    public void Describe(string arch, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var g = Space.Parse(arch);
        json["genotype"] = DartsFormats.Genotype(g);
        if (!g.HasNone) json["compact"] = DartsFormats.Compact(g);
        json["config"] = JsonNode.Parse(DartsFormats.Config(g));
        foreach (var (cell, name) in new[] { (g.Normal, "normal"), (g.Reduce, "reduce") })
        {
            var edges = new JsonArray();
            for (int e = 0; e < DartsGenotype.EdgesPerCell; e++)
                edges.Add(new JsonObject { ["from"] = cell[e].Input, ["to"] = DartsGenotype.NodeOf(e), ["op"] = cell[e].Op.Name() });
            json[name] = edges;
        }
        json["params"] = new JsonObject
        {
            ["cifar10"] = DartsParameters.Count(g, DartsParameters.Network.Cifar10),
            ["imagenet"] = DartsParameters.Count(g, DartsParameters.Network.ImageNet1k),
        };
    }

    private static void EncodeOrdinal(DartsGenotype g, Span<float> destination)
    {
        int at = 0;
        var canonical = g.Canonical();
        foreach (var cell in new[] { canonical.Normal, canonical.Reduce })
        {
            foreach (var e in cell)
            {
                destination[at++] = e.Input / 5f;
                destination[at++] = (int)e.Op / 7f;
            }
        }
    }
}
