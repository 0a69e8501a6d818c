using System.Text.Json;
using WeakNas.Data;

namespace WeakNas.Benchmarks;

/// <summary>
/// Opens a JSON benchmark file and turns every way it can be wrong (missing, not JSON, unexpected layout)
/// into one <see cref="InvalidInputException"/> that names the file.
/// </summary>
internal static class JsonTableFile
{
    /// <param name="what">What the file is, for the "not found" message.</param>
    /// <param name="read">Reads the parsed document: (root, file name, path) → table.</param>
    public static NasBench101Table Read(string path, string what, Func<JsonElement, string, string, NasBench101Table> read)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidInputException($"{what} not found: {path}");
        WeakNas.Data.InputFile.Check(path);
        return Parse(path, File.ReadAllBytes(path), read);
    }

    /// <summary>Reads a file's bytes; <paramref name="source"/> names it (its file name in messages).</summary>
    public static NasBench101Table Parse(string source, byte[] bytes, Func<JsonElement, string, string, NasBench101Table> read)
    {
        string name = Path.GetFileName(source);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return read(document.RootElement, name, source);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{name}: not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new InvalidInputException($"{name}: unexpected layout: {e.Message}", e);
        }
    }
}
