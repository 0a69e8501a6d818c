using System.Text.Json.Nodes;
using WeakNas.Strategies;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// NAS-Bench-101: cells of up to 7 vertices and 9 edges, searched over a table (the imported one or an embedded sample):
/// CIFAR-10 only, no hardware tables, the paper's WeakNAS setting (100 initial, 10 per iteration, top-100) as default.
/// </summary>
public sealed class NasBench101Provider : ISpaceProvider<NasBench101Cell>
{
    /// <summary>The paper's initial samples on NAS-Bench-101.</summary>
    public const int InitialSamples = 100;

    public static NasBench101Provider Instance { get; } = new();

    private NasBench101Provider()
    {
    }

    public string Name => "nb101";

    public string Title => "NAS-Bench-101";

    public int Version => 1;

    public IReadOnlyList<string> Datasets { get; } = ["cifar10"];

    public IReadOnlyList<string> BenchDatasets => Datasets;

    /// <summary>The project's defaults (as on NAS-Bench-201, where they were chosen; not re-tuned on NAS-Bench-101).</summary>
    public WeakNasOptions Defaults { get; } = new();

    /// <summary>The paper's NAS-Bench-101 setting: 100 random, then 10 per iteration from the top-100, 4×1000 MLP.</summary>
    public WeakNasOptions Paper { get; } = WeakNasOptions.Paper with { InitialSamples = InitialSamples };

    public bool HasHardwareTables => false;

    /// <summary>Trainable parameters (millions), from the table.</summary>
    public IReadOnlyList<string> Metrics { get; } = ["params"];

    public bool HasStudies => false;

    /// <summary>Adjacency and one-hot ops (56 values).</summary>
    public ArchitectureEncoding<NasBench101Cell> OneHot { get; } = new(NasBench101Encoding.Length, NasBench101Encoding.Encode);

    /// <summary>The 21 upper-triangular adjacency entries, then the five interior vertices' op labels (-1 where absent).</summary>
    public ArchitectureEncoding<NasBench101Cell> Ordinal { get; } = new(NasBench101Cell.EdgeSpots + NasBench101Cell.OpSpots, EncodeOrdinal);

    /// <summary>The WeakNAS reference implementation's sequence encoding.</summary>
    public ArchitectureEncoding<NasBench101Cell> Predictor { get; } = new(NasBench101SequenceEncoding.Length, NasBench101SequenceEncoding.Encode);

    /// <summary>BANANAS's path encoding, truncated as BANANAS truncates it.</summary>
    public ArchitectureEncoding<NasBench101Cell> Path { get; } = new(NasBench101PathEncoding.DefaultLength, (cell, destination) => NasBench101PathEncoding.Encode(cell, destination));

    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => (visitor ?? throw new ArgumentNullException(nameof(visitor))).Visit(this);

    public string Normalize(string text) => NasBench101Cell.Parse(text).Format();

    /// <summary>The padded adjacency matrix and op list, as the official API takes them.</summary>
    public void Describe(string arch, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var cell = NasBench101Cell.Parse(arch);
        var matrix = cell.ToMatrix();
        var rows = new JsonArray();
        for (int i = 0; i < matrix.GetLength(0); i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < matrix.GetLength(1); j++) row.Add(matrix[i, j]);
            rows.Add(row);
        }
        json["matrix"] = rows;
        json["ops"] = new JsonArray([.. cell.Ops().Select(op => (JsonNode)NasBench101Cell.OpName(op))]);
    }

    private static void EncodeOrdinal(NasBench101Cell cell, Span<float> destination)
    {
        int position = 0;
        for (int from = 0; from < NasBench101Cell.MaxVertices - 1; from++)
        {
            for (int to = from + 1; to < NasBench101Cell.MaxVertices; to++, position++)
                destination[position] = to < cell.VertexCount && cell.HasEdge(from, to) ? 1 : 0;
        }
        for (int v = 1; v <= NasBench101Cell.OpSpots; v++)
            destination[position++] = v < cell.VertexCount - 1 ? (int)cell.Op(v) : -1;
    }
}
