using System.Text;

namespace WeakNas.Benchmarks;

/// <summary>
/// Where benchmark files come from: a data folder (given by --data or WEAKNAS_DATA), whose files take precedence, and
/// the copies embedded in the library (<see cref="EmbeddedData"/>). A benchmark's subfolder in the data folder
/// (<c>nasbench201/</c>, <c>nasbench101/</c>) overrides the embedded copies of that benchmark: a file missing from an
/// existing subfolder is an error (a misnamed table is never silently replaced), while a folder without the
/// subfolder (e.g. one that only holds an imported NAS-Bench-101 table) reads that benchmark's embedded copies.
/// </summary>
public sealed class BenchmarkData
{
    private BenchmarkData(string? folder) => Folder = folder;

    /// <summary>The embedded tables alone.</summary>
    public static BenchmarkData Embedded { get; } = new(null);

    /// <summary>The data folder, as a full path; null for the embedded tables alone.</summary>
    public string? Folder { get; }

    /// <summary>A data folder (resolved against the current directory), which must exist.</summary>
    public static BenchmarkData FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder)) throw new InvalidInputException($"benchmark data folder '{folder}' does not exist");
        return new BenchmarkData(Path.GetFullPath(folder));
    }

    /// <summary>The folder when one is given, else the embedded tables.</summary>
    public static BenchmarkData FromFolderOrEmbedded(string? folder) => string.IsNullOrWhiteSpace(folder) ? Embedded : FromFolder(folder);

    /// <summary>The file in the data folder, or null when there is no folder or it lacks the file.</summary>
    public string? FolderFile(string relativePath)
    {
        if (Folder == null) return null;
        string path = Path.Combine(Folder, relativePath.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(path) ? path : null;
    }

    /// <summary>True when the file can be read: from the folder or embedded.</summary>
    public bool Has(string relativePath) => FolderFile(relativePath) != null || UsesEmbedded(relativePath);

    /// <summary>True when the file comes embedded: no folder, or a folder without the file's benchmark subfolder.</summary>
    private bool UsesEmbedded(string relativePath)
    {
        if (!EmbeddedData.Has(relativePath)) return false;
        if (Folder == null) return true;
        string? subfolder = Path.GetDirectoryName(relativePath.Replace('/', Path.DirectorySeparatorChar));
        return !string.IsNullOrEmpty(subfolder) && !Directory.Exists(Path.Combine(Folder, subfolder));
    }

    private string MissingPath(string relativePath) => Path.Combine(Folder ?? ".", relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Where <paramref name="relativePath"/> is read from, for messages.</summary>
    public string SourceOf(string relativePath) => FolderFile(relativePath) ?? $"{relativePath} ({EmbeddedData.Description})";

    /// <summary>A CSV table: the folder's file when present, else the embedded copy.</summary>
    internal CsvTable ReadTable(string relativePath)
    {
        string? file = FolderFile(relativePath);
        if (file != null) return CsvTable.Read(file);
        if (!UsesEmbedded(relativePath)) return CsvTable.Read(MissingPath(relativePath));
        using var reader = new StreamReader(new MemoryStream(EmbeddedData.Read(relativePath).ToArray(), writable: false), Encoding.UTF8);
        return CsvTable.Parse(Path.GetFileName(relativePath), reader);
    }

    /// <summary>A file's bytes: the folder's file when present, else the embedded copy.</summary>
    public byte[] ReadBytes(string relativePath)
    {
        string? file = FolderFile(relativePath);
        if (file != null) WeakNas.Data.InputFile.Check(file);
        if (file != null) return File.ReadAllBytes(file);
        if (!UsesEmbedded(relativePath))
            throw new InvalidInputException($"benchmark file not found: {MissingPath(relativePath)}");
        return EmbeddedData.Read(relativePath).ToArray();
    }

    public override string ToString() => Folder ?? EmbeddedData.Description;
}
