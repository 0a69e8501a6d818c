using System.CommandLine;
using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Data;

namespace WeakNas.Cli;

/// <summary>`weaknas data import`: turn a benchmark's official data files into the tables weaknas reads.</summary>
internal static class DataCommand
{
    private static readonly string[] Importable = ["nb101"];

    public static Command Create(TextWriter stdout)
    {
        var benchmark = new Argument<string>("benchmark") { Description = "The benchmark: nb101." };
        var from = new Option<string>("--from") { Description = "The official file: nasbench_only108.tfrecord or nasbench_full.tfrecord.", Required = true };
        var to = new Option<string?>("--to") { Description = $"Table to write (default: DATA/{NasBench101Table.FolderName}/{NasBench101Table.DefaultFileName})." };
        var data = new Option<string?>("--data") { Description = $"Data folder (default: ${DataFolder.EnvironmentVariable})." };
        var import = new Command("import", "Import the official NAS-Bench-101 TFRecord file into a compact table; checks every record's checksums and hash.")
        {
            benchmark, from, to, data,
        };
        import.SetAction(parse =>
        {
            string name = parse.GetValue(benchmark)!;
            if (!Importable.Contains(name))
                throw new InvalidInputException($"unknown benchmark '{name}'; expected one of {string.Join(", ", Importable)}");
            string source = parse.GetValue(from)!;
            if (!File.Exists(source)) throw new InvalidInputException($"--from '{source}' does not exist");
            string destination = parse.GetValue(to) ?? NasBench101Table.DefaultPath(ResolveData(parse.GetValue(data)));
            // Checked before the import's minutes of work: a path that cannot take the table is one line now.
            OutputFile.CheckWritable(destination, "--to");

            var result = NasBench101Importer.Import(source, destination);
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(inv,
                $"{Path.GetFileName(source)}: {result.Records:N0} records, {result.Cells:N0} cells, budgets {string.Join(", ", result.Budgets)} epochs, {result.Repeats} repeats, imported in {result.Seconds:F1} s"));
            stdout.WriteLine($"wrote {result.TablePath}");
            return 0;
        });
        return new Command("data", "Benchmark data: import official files; pack the embedded tables; unpack them into a data folder.")
        {
            import, PackCommand(stdout), UnpackCommand(stdout),
        };
    }

    /// <summary>`weaknas data pack`: make the library's embedded copies from a data folder (run by maintainers).</summary>
    private static Command PackCommand(TextWriter stdout)
    {
        var data = new Option<string?>("--data") { Description = $"The data folder to pack from (default: ${DataFolder.EnvironmentVariable})." };
        var output = new Option<string>("--out") { Description = "Folder for the .wnpk files (the library's src/WeakNas/Embedded).", Required = true };
        var pack = new Command("pack", "Pack the data folder's NAS-Bench-201 tables and NAS-Bench-101 samples into the compact form the library embeds.")
        {
            data, output,
        };
        pack.SetAction(parse =>
        {
            string folder = DataFolder.ResolveFolderOrNull(parse.GetValue(data))
                ?? throw new InvalidInputException($"no data folder to pack: pass --data DIR or set {DataFolder.EnvironmentVariable}");
            string destination = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(destination)) throw new InvalidInputException("--out must name a folder");
            var inv = CultureInfo.InvariantCulture;
            foreach (var (relative, isTable) in EmbeddedData.Files)
            {
                string source = Path.Combine(folder, relative);
                if (!File.Exists(source)) throw new InvalidInputException($"cannot pack {relative}: {source} does not exist");
                WeakNas.Data.InputFile.Check(source);
                byte[] original = File.ReadAllBytes(source);
                byte[] packed = PackedFile.Pack(Path.GetFileName(relative), original, isTable);
                string target = Path.Combine(destination, EmbeddedData.PackedName(relative));
                AtomicFile.Write(target, s => s.Write(packed));
                var info = PackedFile.ReadInfo(packed, target);
                stdout.WriteLine(string.Create(inv, $"{relative}: {original.Length:N0} bytes -> {packed.Length:N0} bytes, sha256 {info.OriginalSha256}"));
            }
            return 0;
        });
        return pack;
    }

    /// <summary>`weaknas data unpack`: write the embedded tables out as a data folder.</summary>
    private static Command UnpackCommand(TextWriter stdout)
    {
        var to = new Option<string>("--to") { Description = "The data folder to write (nasbench201/, nasbench101/ inside it).", Required = true };
        var unpack = new Command("unpack", "Write the tables embedded in this build into a data folder, byte for byte as published.") { to };
        unpack.SetAction(parse =>
        {
            string folder = parse.GetValue(to)!;
            if (string.IsNullOrWhiteSpace(folder)) throw new InvalidInputException("--to must name a folder");
            if (File.Exists(folder)) throw new InvalidInputException($"--to '{folder}' is a file, expected a folder");
            foreach (string path in EmbeddedData.Extract(folder))
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({new FileInfo(path).Length:N0} bytes)"));
            return 0;
        });
        return unpack;
    }

    private static string ResolveData(string? option)
    {
        if (string.IsNullOrWhiteSpace(option) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataFolder.EnvironmentVariable)))
            throw new InvalidInputException($"no destination: pass --to FILE, or --data DIR or {DataFolder.EnvironmentVariable} for DATA/{NasBench101Table.FolderName}/{NasBench101Table.DefaultFileName}");
        return DataFolder.ResolveFolderOrNull(option)!;
    }
}
