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
        return new Command("space", "Search spaces: export every cell; check a declaration.") { export, CheckCommand(stdout) };
    }

    /// <summary>`weaknas space check FILE`: reads a declaration, says what it declares and shows sampled architectures.</summary>
    private static Command CheckCommand(TextWriter stdout)
    {
        var file = new Argument<string>("file") { Description = "A space declaration (.json, .yaml)." };
        var samples = new Option<int>("--samples") { Description = "Architectures to sample and print in the text form (0 to 1000).", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the samples.", DefaultValueFactory = _ => 0 };
        var check = new Command("check", "Check a space declaration: its decisions, how many architectures it admits, a few samples.") { file, samples, seed };
        check.SetAction(parse =>
        {
            int count = parse.GetValue(samples);
            if (count is < 0 or > 1000) throw new InvalidInputException($"--samples must be between 0 and 1000, got {count}");
            var space = WeakNas.Spaces.Declared.DeclaredSpaceFile.Load(parse.GetValue(file)!);
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(inv,
                $"{space.Name}: {space.Decisions.Count} decisions, {space.CountArchitectures():N0} architectures, one-hot encoding of {space.EncodingLength} features"));
            foreach (var d in space.Decisions)
            {
                string when = d.When.Count == 0 ? "" : "  when " + string.Join(" and ", d.When.Select(c =>
                    $"{space.Decisions[c.Decision].Name} in [{string.Join(", ", c.Choices.Select(i => space.Decisions[c.Decision].Choices[i].Json))}]"));
                string choices = d.Choices.Count <= 12 ? string.Join(", ", d.Choices.Select(c => c.Json)) : $"{d.Choices[0].Json} .. {d.Choices[^1].Json} ({d.Choices.Count} values)";
                stdout.WriteLine($"  {d.Name}: {choices}{when}");
            }
            var rng = new Numerics.Rng(parse.GetValue(seed));
            for (int i = 0; i < count; i++) stdout.WriteLine(space.Format(space.Sample(rng)));
            return 0;
        });
        return check;
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
