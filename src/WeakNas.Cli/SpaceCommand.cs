using System.CommandLine;
using System.Globalization;
using System.Text;
using WeakNas.Data;
using WeakNas.Spaces.MobileNetV3;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Cli;

/// <summary>`weaknas space export`: every cell of an enumerable space, as CSV for other tools.</summary>
internal static class SpaceCommand
{
    private static readonly string[] Exportable = ["nb101"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
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
        return new Command("space", "Search spaces: export every cell; check a declaration; the metrics of given architectures.") { export, CheckCommand(stdout), MetricsCommand(stdout, stderr) };
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

    /// <summary>
    /// `weaknas space metrics ofa-mbv3 --archs FILE`: FLOPs, parameters and once-for-all's predicted top-1 of each
    /// architecture in a file (one once-for-all JSON per line), as CSV.
    /// </summary>
    private static Command MetricsCommand(TextWriter stdout, TextWriter stderr)
    {
        var space = new Argument<string>("space") { Description = "The space: ofa-mbv3." };
        var archs = new Option<string>("--archs") { Description = "A file of architectures, one per line in the space's text form ({\"ks\": [...20], \"e\": [...20], \"d\": [...5], \"r\": 224}); blank lines and lines starting with # are skipped.", Required = true };
        var width = new Option<double>("--width") { Description = "ofa-mbv3: the supernet's width multiplier, 1.0 or 1.2.", DefaultValueFactory = _ => 1.2 };
        var resolution = new Option<int>("--resolution") { Description = "ofa-mbv3: the resolution of architectures given without \"r\" (and the only one accepted), 32 to 1024.", DefaultValueFactory = _ => 224 };
        var data = new Option<string?>("--data") { Description = $"Folder holding ofa/ (acc_predictor.pth, the latency tables; default: ${WeakNas.Benchmarks.DataFolder.EnvironmentVariable}; without it the predictor embedded in the library serves)." };
        var devices = new Option<string?>("--devices") { Description = $"Comma-separated devices whose latency (ms) to add as latency_DEVICE columns: {string.Join(", ", OfaLatencyTable.KnownDevices)} (lookup tables) or HELP's GPU settings such as titan_rtx_32 (a per-block model fitted on their measurements); needs --data." };
        var output = new Option<string?>("--out") { Description = "CSV file to write (default: standard output)." };
        var command = new Command("metrics", "What the space knows of each architecture in a file: ofa-mbv3 gives MFLOPs, parameters and once-for-all's predicted top-1 (%), as CSV.")
        {
            space, archs, width, resolution, data, output, devices,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(space)!;
            if (name != "ofa-mbv3") throw new InvalidInputException($"space metrics: unknown space '{name}'; expected ofa-mbv3");
            string? path = parse.GetValue(output);
            if (path != null) OutputFile.CheckWritable(path, "--out");
            int r = parse.GetValue(resolution);
            if (r is < 32 or > 1024) throw new InvalidInputException($"--resolution must be between 32 and 1024, got {r}");
            var ofa = new OfaMobileNetV3Space(parse.GetValue(width), [r]);
            string file = parse.GetValue(archs)!;
            if (!File.Exists(file)) throw new InvalidInputException($"--archs: file not found: {file}");
            var folder = WeakNas.Benchmarks.DataFolder.Resolve(parse.GetValue(data));
            // The predictor covers resolutions 112..239; outside them the column is left out.
            bool predicted = r is >= OfaAccuracyPredictor.LowestResolution and <= OfaAccuracyPredictor.HighestResolution;
            var predictor = predicted ? OfaAccuracyPredictor.Load(folder) : null;
            var tables = (parse.GetValue(devices) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct()
                .Select(d => IOfaLatency.Load(folder, d)).ToList();
            var inv = CultureInfo.InvariantCulture;
            var csv = new StringBuilder("line,arch,mflops,params" + (predictor == null ? "" : ",predicted_top1") + string.Concat(tables.Select(t => ",latency_" + t.Device)) + "\n");
            int number = 0;
            WeakNas.Data.InputFile.Check(file);
            foreach (string raw in File.ReadLines(file))
            {
                number++;
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                OfaSubnet subnet;
                try
                {
                    subnet = ofa.Parse(line);
                }
                catch (FormatException e)
                {
                    throw new InvalidInputException($"{file}:{number}: {e.Message}", e);
                }
                var (flops, parameters) = OfaMetrics.Count(subnet, ofa.Width);
                csv.Append(inv, $"{number},\"{ofa.Format(subnet).Replace("\"", "\"\"", StringComparison.Ordinal)}\",{flops / 1e6:F3},{parameters}");
                try
                {
                    if (predictor != null) csv.Append(inv, $",{predictor.Predict(subnet):F4}");
                    foreach (var table in tables) csv.Append(inv, $",{table.Latency(subnet, ofa.Width):F4}");
                }
                catch (InvalidInputException e)
                {
                    throw new InvalidInputException($"{file}:{number}: {e.Message}", e);
                }
                csv.Append('\n');
            }
            if (path == null) stdout.Write(csv.ToString());
            else
            {
                OutputFile.Write(path, "--out", csv.ToString());
                stdout.WriteLine($"wrote {path}");
            }
            if (predictor == null) stderr.WriteLine($"space metrics: once-for-all's accuracy predictor covers resolutions {OfaAccuracyPredictor.LowestResolution} to {OfaAccuracyPredictor.HighestResolution}, not {r}: no predicted_top1 column");
            return 0;
        });
        return command;
    }

    private static void Write(string path, NasBench101Space space) =>
        OutputFile.Write(path, "--out", stream =>
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
