using System.Text.Json.Nodes;
using WeakNas.Strategies;

namespace WeakNas.Spaces;

/// <summary>
/// Everything the project knows about one search space, in one place: its name and title, its text form, the WeakNAS
/// defaults tuned for it, the datasets its benchmark tables cover, whether it has hardware tables (latency, parameters:
/// constraints, objectives, the runtime model), and what a training command receives about an architecture. Commands
/// ask the provider instead of switching on the space's name; a new space is a new provider in
/// <see cref="SpaceRegistry"/>.
/// </summary>
public interface ISpaceProvider
{
    /// <summary>The name on the command line, e.g. "nb201".</summary>
    string Name { get; }

    /// <summary>The name for titles and messages, e.g. "NAS-Bench-201".</summary>
    string Title { get; }

    /// <summary>The version of the space's definition (text form, encodings), stored with studies over it.</summary>
    int Version { get; }

    /// <summary>The datasets of its benchmark tables (empty when it has none: a declared space).</summary>
    IReadOnlyList<string> Datasets { get; }

    /// <summary>The datasets a bench runs when none is named.</summary>
    IReadOnlyList<string> BenchDatasets { get; }

    /// <summary>This project's WeakNAS defaults for the space.</summary>
    WeakNasOptions Defaults { get; }

    /// <summary>The paper's WeakNAS setting for the space (<c>--paper</c>).</summary>
    WeakNasOptions Paper { get; }

    /// <summary>Whether latency and parameter tables exist for it: constraints, cost objectives and the runtime model.</summary>
    bool HasHardwareTables { get; }

    /// <summary>
    /// The metrics beside accuracy it can give for an architecture, as constraints and objectives name them (NAS-Bench-201:
    /// <c>params</c> and <c>latency:DEVICE</c> from its tables); empty when it knows none.
    /// </summary>
    IReadOnlyList<string> Metrics { get; }

    /// <summary>Whether studies (storage, workers) can search it by name.</summary>
    bool HasStudies { get; }

    /// <summary>The standard text of an architecture given in any accepted text form; a <see cref="FormatException"/> if malformed.</summary>
    string Normalize(string text);

    /// <summary>Adds what a training command needs beyond the architecture's text (NAS-Bench-201: the cell's edges).</summary>
    void Describe(string arch, JsonObject json);

    /// <summary>Calls the visitor with the provider's architecture type, for code that works on any space.</summary>
    TResult Accept<TResult>(ISpaceVisitor<TResult> visitor);
}

/// <summary>Code generic in a space's architecture type, reached from a provider of any type.</summary>
public interface ISpaceVisitor<out TResult>
{
    TResult Visit<TArch>(ISpaceProvider<TArch> provider) where TArch : notnull, IEquatable<TArch>;
}

/// <summary>A provider whose whole space is listed (every architecture has an index), so it can be searched without a table.</summary>
public interface IListedSpaceProvider<TArch> : ISpaceProvider<TArch> where TArch : notnull, IEquatable<TArch>
{
    IEnumerableSearchSpace<TArch> Space { get; }
}

/// <summary>A provider's typed side: its encoders (the space itself may depend on a table: NAS-Bench-101's cells are a table's).</summary>
public interface ISpaceProvider<TArch> : ISpaceProvider where TArch : notnull, IEquatable<TArch>
{
    /// <summary>One-hot: one feature per (decision, choice).</summary>
    ArchitectureEncoding<TArch> OneHot { get; }

    /// <summary>Ordinal: one number per decision.</summary>
    ArchitectureEncoding<TArch> Ordinal { get; }

    /// <summary>What WeakNAS's predictor reads by default.</summary>
    ArchitectureEncoding<TArch> Predictor { get; }

    /// <summary>What BANANAS's predictor reads (its path encoding where the space has one).</summary>
    ArchitectureEncoding<TArch> Path { get; }
}
