namespace WeakNas.Spaces.NasBench101;

/// <summary>How <see cref="NasBench101SpaceCache.LoadOrBuild"/> got the whole space.</summary>
/// <param name="Space">The 423,624 cells.</param>
/// <param name="Path">The cache file.</param>
/// <param name="Built">True when the space was enumerated (no usable cache) and the cache written.</param>
/// <param name="Reason">Why the cache was not used (missing, damaged, ...), or null when it was.</param>
/// <param name="Seconds">Time to load or to enumerate and write.</param>
public sealed record NasBench101CacheLoad(NasBench101Space Space, string Path, bool Built, string? Reason, double Seconds);
