namespace WeakNas.Data;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: the content goes to a
/// temporary file beside the target, is flushed to disk, and is then renamed over the target. A failure
/// deletes the temporary file, so nothing half-written is left behind.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Target(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        // A unique name, so two processes writing the same file do not write into each other's temporary.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// The file a write to <paramref name="path"/> replaces: the path itself when it is a regular file or new, the file a
    /// symbolic link leads to (the link stays); an <see cref="InvalidInputException"/> for anything else (a directory, a
    /// device, a FIFO, a socket, a dangling link), which a rename would replace.
    /// </summary>
    public static string Target(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException("the output path is empty");
        var (full, kind) = PathKinds.Final(Path.GetFullPath(path), out bool link);
        if (kind == PathKind.SymbolicLink) throw new InvalidInputException($"'{path}' is a symbolic link to nothing ({new FileInfo(full).LinkTarget}): refusing to write through it");
        if (kind is not (PathKind.Missing or PathKind.RegularFile))
            throw new InvalidInputException($"'{path}' is {(link ? "a symbolic link to " : "")}{PathKinds.Describe(kind)}: refusing to replace it with a file");
        return full;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
