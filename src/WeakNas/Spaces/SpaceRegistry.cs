using WeakNas.Spaces.NasBench101;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Spaces;

/// <summary>The built-in spaces by name. A declared space (a declaration file) is its own provider, <see cref="Declared.DeclaredSpaceProvider"/>.</summary>
public static class SpaceRegistry
{
    public static IReadOnlyList<ISpaceProvider> All { get; } =
        [NasBench201Provider.Instance, NasBench101Provider.Instance, MobileNetV3.OfaMobileNetV3Provider.Instance, Darts.DartsProvider.Instance, Darts.DartsProvider.WithNone];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>The names of the built-in spaces with hardware tables (constraints, cost objectives), for messages.</summary>
    public static string WithHardwareTables => string.Join(", ", All.Where(p => p.HasHardwareTables).Select(p => p.Name));

    /// <summary>The built-in space of that name, or null.</summary>
    public static ISpaceProvider? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>The built-in space of that name; an <see cref="InvalidInputException"/> listing the names otherwise.</summary>
    public static ISpaceProvider Get(string name) =>
        Find(name) ?? throw new InvalidInputException($"unknown space '{name}'; expected one of {string.Join(", ", Names)} or a declaration file (.json, .yaml)");
}
