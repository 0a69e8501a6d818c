using System.Text;
using WeakNas.Data;

namespace WeakNas.Cli;

/// <summary>A result file a command writes: checked before the work starts, written atomically when it ends.</summary>
internal static class OutputFile
{
    /// <summary>
    /// Fails now, with the option named, when <paramref name="path"/> could not be written later: not a regular file or a
    /// new path (<see cref="AtomicFile.Target"/>), or a folder that cannot be created or written. Leaves nothing behind
    /// but the folders it needed.
    /// </summary>
    public static void CheckWritable(string path, string option)
    {
        string full = Target(path, option);
        try
        {
            string folder = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.probe");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException($"cannot write {option} '{path}': {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="text"/> beside the target and renames it over, so a kill never leaves half a file.</summary>
    public static void Write(string path, string option, string text) => Write(path, option, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>Writes the file atomically (see <see cref="AtomicFile"/>); a refusal or a failure is one line naming the option.</summary>
    public static void Write(string path, string option, Action<Stream> write)
    {
        string full = Target(path, option);
        try
        {
            AtomicFile.Write(full, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException($"cannot write {option} '{path}': {e.Message}", e);
        }
    }

    /// <summary>The file a write to <paramref name="path"/> replaces, or an <see cref="InvalidInputException"/> naming the option.</summary>
    private static string Target(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException($"{option} must name a file");
        try
        {
            return AtomicFile.Target(path);
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException($"{option} {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException($"cannot write {option} '{path}': {e.Message}", e);
        }
    }
}
