using System.Text.Json.Nodes;
using WeakNas.Strategies;

namespace WeakNas.Spaces.Declared;

/// <summary>
/// A declared space as a provider: its own name, no benchmark tables or hardware tables, the default WeakNAS settings,
/// one-hot and ordinal encodings from the declaration, and the decisions' values for a training command.
/// </summary>
public sealed class DeclaredSpaceProvider(DeclaredSpace space) : ISpaceProvider<DeclaredArchitecture>
{
    public DeclaredSpace Space { get; } = space ?? throw new ArgumentNullException(nameof(space));

    public string Name => Space.Name;

    public string Title => Space.Name;

    public int Version => 1;

    public IReadOnlyList<string> Datasets => [];

    public IReadOnlyList<string> BenchDatasets => [];

    public WeakNasOptions Defaults { get; } = new();

    public WeakNasOptions Paper => WeakNasOptions.Paper;

    public bool HasHardwareTables => false;

    public IReadOnlyList<string> Metrics => [];

    public bool HasStudies => true;

    public ArchitectureEncoding<DeclaredArchitecture> OneHot { get; } = ArchitectureEncoding<DeclaredArchitecture>.Own(space);

    public ArchitectureEncoding<DeclaredArchitecture> Ordinal { get; } = new(space.OrdinalLength, space.EncodeOrdinal);

    public ArchitectureEncoding<DeclaredArchitecture> Predictor => OneHot;

    /// <summary>A declared space has no path encoding: BANANAS reads the one-hot.</summary>
    public ArchitectureEncoding<DeclaredArchitecture> Path => OneHot;

    public string Normalize(string text) => Space.Format(Space.Parse(text));

    /// <summary>The decisions' values as an object, for scripts: json["decisions"]["depth"].</summary>
    public void Describe(string arch, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json["decisions"] = JsonNode.Parse(Normalize(arch));
    }

    public TResult Accept<TResult>(ISpaceVisitor<TResult> visitor) => (visitor ?? throw new ArgumentNullException(nameof(visitor))).Visit(this);
}
