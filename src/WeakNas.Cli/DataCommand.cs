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

            var result = NasBench101Importer.Import(source, destination);
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(inv,
                $"{Path.GetFileName(source)}: {result.Records:N0} records, {result.Cells:N0} cells, budgets {string.Join(", ", result.Budgets)} epochs, {result.Repeats} repeats, imported in {result.Seconds:F1} s"));
            stdout.WriteLine($"wrote {result.TablePath}");
            return 0;
        });
        return new Command("data", "Benchmark data: import official files.") { import };
    }

    private static string ResolveData(string? option)
    {
        if (string.IsNullOrWhiteSpace(option) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataFolder.EnvironmentVariable)))
            throw new InvalidInputException($"no destination: pass --to FILE, or --data DIR or {DataFolder.EnvironmentVariable} for DATA/{NasBench101Table.FolderName}/{NasBench101Table.DefaultFileName}");
        return DataFolder.Resolve(option);
    }
}
