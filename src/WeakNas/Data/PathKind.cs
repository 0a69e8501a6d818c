using System.Runtime.InteropServices;

namespace WeakNas.Data;

/// <summary>What a path names, without following a final symbolic link: what an output may replace.</summary>
public enum PathKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,
    Fifo,
    Device,
    Socket,
}

/// <summary>
/// The kind of a path, from the file system itself (lstat's file type): .NET tells a directory and a link, but not a
/// device, a FIFO or a socket from a regular file. Linux reads it with statx (one layout on every architecture), macOS
/// with lstat; elsewhere only directories, links and files are told apart.
/// </summary>
public static partial class PathKinds
{
    public static PathKind Of(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget != null) return PathKind.SymbolicLink;
        if (Directory.Exists(path)) return PathKind.Directory;
        if (!info.Exists) return PathKind.Missing;
        int? mode = Mode(path);
        return (mode & 0xF000) switch
        {
            null or 0x8000 => PathKind.RegularFile,
            0x1000 => PathKind.Fifo,
            0x2000 or 0x6000 => PathKind.Device,
            0xC000 => PathKind.Socket,
            0x4000 => PathKind.Directory,
            0xA000 => PathKind.SymbolicLink,
            _ => PathKind.Device,
        };
    }

    /// <summary>
    /// What <paramref name="path"/> names once its links are followed: the final path and its kind. A dangling link
    /// comes back as itself with <see cref="PathKind.SymbolicLink"/> (a link to nothing); <paramref name="link"/> says
    /// whether the path was a link.
    /// </summary>
    public static (string Path, PathKind Kind) Final(string path, out bool link)
    {
        var kind = Of(path);
        link = kind == PathKind.SymbolicLink;
        if (!link) return (path, kind);
        var final = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return final != null && (final.Exists || Directory.Exists(final.FullName)) ? (final.FullName, Of(final.FullName)) : (path, PathKind.SymbolicLink);
    }

    /// <summary>"a directory", "a FIFO", ...: for messages.</summary>
    public static string Describe(PathKind kind) => kind switch
    {
        PathKind.Directory => "a directory",
        PathKind.SymbolicLink => "a symbolic link",
        PathKind.Fifo => "a FIFO (named pipe)",
        PathKind.Device => "a device",
        PathKind.Socket => "a socket",
        PathKind.Missing => "missing",
        _ => "a regular file",
    };

    private static int? Mode(string path)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var buffer = new byte[256];
                // statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, buffer): stx_mode is the u16 at offset 28.
                return Statx(-100, path, 0x100, 1, buffer) == 0 ? BitConverter.ToUInt16(buffer, 28) : null;
            }
            if (OperatingSystem.IsMacOS())
            {
                var buffer = new byte[256];
                // Darwin's 64-bit struct stat: st_dev (i32), then st_mode (u16) at offset 4.
                return Lstat(path, buffer) == 0 ? BitConverter.ToUInt16(buffer, 4) : null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // An old C library without statx: take it for a regular file, as .NET does.
        }
        return null;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lstat(string path, byte[] buffer);
}

/// <summary>Files the user names for reading: only a regular file (or a link to one) is read, so a FIFO cannot hang a command and a device is not read as data.</summary>
public static class InputFile
{
    /// <summary>Nothing when <paramref name="path"/> is a regular file or missing (the read then says so); an <see cref="InvalidInputException"/> otherwise.</summary>
    public static void Check(string path)
    {
        var (_, kind) = PathKinds.Final(path, out _);
        if (kind == PathKind.SymbolicLink) throw new InvalidInputException($"'{path}' is a symbolic link to nothing");
        if (kind is not (PathKind.RegularFile or PathKind.Missing))
            throw new InvalidInputException($"'{path}' is {PathKinds.Describe(kind)}, not a file to read");
    }
}
