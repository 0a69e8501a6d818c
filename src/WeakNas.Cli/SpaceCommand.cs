using System.CommandLine;
using System.Globalization;
using System.Text;
using WeakNas.Data;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Cli;

/// <summary>`weaknas space export`: every cell of an enumerable space, as CSV for other tools.</summary>
internal static class SpaceCommand
{
    private static readonly string[] Exportable = ["nb101"];

    public static Command Create(TextWriter stdout)
    {
        var space = new Argument<string>("space") { Description = "The space: nb101." };
        var output = new Option<string>("--out") { Description = "CSV file to write.", Required = true };
        var cache = new Option<string?>("--cache") { Description = $"Cache folder for the enumerated space (default: ${NasBench101SpaceCache.EnvironmentVariable}, else ~/.cache/weaknas)." };
        var export = new Command("export",
            "Write every cell as CSV: index, hash (the official module hash), adjacency (the 7×7 matrix row-major as 49 0/1 characters, "
            + "the cell's vertices top-left), ops (comma-separated op names, quoted).")
        {
            space, output, cache,
        };
        export.SetAction(parse =>
        {
            string name = parse.GetValue(space)!;
            if (!Exportable.Contains(name))
                throw new InvalidInputException($"unknown space '{name}'; expected one of {string.Join(", ", Exportable)}");
            string path = parse.GetValue(output)!;
            var load = NasBench101SpaceCache.LoadOrBuild(NasBench101SpaceCache.ResolveFolder(parse.GetValue(cache)));
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(load.Built
                ? string.Create(inv, $"nb101: {load.Space.Count:N0} cells enumerated in {load.Seconds:F1} s on {Numerics.Parallelism.MaxThreads} cores; cached at {load.Path} ({load.Reason})")
                : string.Create(inv, $"nb101: {load.Space.Count:N0} cells loaded from {load.Path} in {load.Seconds:F2} s"));
            Write(path, load.Space);
            stdout.WriteLine($"wrote {path}");
            return 0;
        });
        return new Command("space", "Search spaces: export every cell.") { export };
    }

    private static void Write(string path, NasBench101Space space)
    {
        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                writer.Write("index,hash,adjacency,ops\n");
                for (int i = 0; i < space.Count; i++)
                {
                    var cell = space[i];
                    writer.Write(i.ToString(CultureInfo.InvariantCulture));
                    writer.Write(',');
                    writer.Write(space.HashAt(i).ToString());
                    writer.Write(',');
                    writer.Write(cell.PaddedAdjacency());
                    // The op list holds commas, so it is quoted as CSV requires.
                    writer.Write(",\"");
                    writer.Write(cell.OpList());
                    writer.Write("\"\n");
                }
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write --out '{path}': {e.Message}", e);
        }
    }
}
