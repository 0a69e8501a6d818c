using System.CommandLine;
using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Hardware;
using WeakNas.Numerics;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Cli;

/// <summary>
/// `weaknas latency-model`: how well the additive runtime model (per-(edge, op) costs plus a constant, fitted on K
/// measured cells) predicts each device's latency of all 15,625 NAS-Bench-201 cells.
/// </summary>
internal static class LatencyModelCommand
{
    public static Command Create(TextWriter stdout)
    {
        var device = new Option<string>("--device") { Description = "Devices of nb201_latency.csv, comma-separated, or all.", DefaultValueFactory = _ => "all" };
        var samples = new Option<string>("--samples") { Description = "Measured cells K to fit on, comma-separated (all: every cell, the model's best case).", DefaultValueFactory = _ => "100" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the first draw of K cells; draw r uses seed + r.", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "Draws of K cells per device; the table gives the mean over draws.", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = $"Folder holding nasbench201/ (default: ${DataFolder.EnvironmentVariable})." };
        var space = new Option<string>("--space") { Description = "nb201 (its table: fit on K cells, score on all) or ofa-mbv3 (HELP's 5,000 measured subnets: fit a per-block model on K, score on the rest).", DefaultValueFactory = _ => "nb201" };
        var verbose = new Option<bool>("--verbose") { Description = "Also print each device's fitted constant and per-(edge, op) costs (from the first draw)." };
        var command = new Command("latency-model",
            "Fit the additive latency model (Single-Path NAS style) on K measured NAS-Bench-201 cells and report its fit on the whole table: "
            + "RMSE, relative error, Kendall tau and Spearman rho, per device.")
        {
            device, samples, seed, repeats, data, verbose, space,
        };
        command.SetAction(parse =>
        {
            string spaceName = parse.GetValue(space)!;
            if (spaceName == "ofa-mbv3")
            {
                // HELP's subnets are fitted once per device on a training split: no draws to repeat, no per-(edge, op) costs to print.
                foreach (var option in new Option[] { repeats, verbose })
                    if (parse.GetResult(option) is { Implicit: false }) throw new InvalidInputException($"{option.Name} applies to --space nb201 only");
                string? given = parse.GetResult(samples) is { Implicit: false } ? parse.GetValue(samples) : null;
                return Ofa(stdout, parse.GetValue(device)!, given, parse.GetValue(seed), parse.GetValue(data));
            }
            if (spaceName != "nb201") throw new InvalidInputException($"--space '{spaceName}': the latency model exists for nb201 and ofa-mbv3");
            var sampleCounts = ParseSamples(parse.GetValue(samples)!);
            int repeatCount = parse.GetValue(repeats);
            if (repeatCount <= 0) throw new InvalidInputException($"--repeats must be positive, got {repeatCount}");
            string deviceText = parse.GetValue(device)!;
            var names = deviceText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
            if (names.Count == 0) throw new InvalidInputException("--device: name at least one device, or all");
            var table = NasBench201Hardware.LoadLatency(DataFolder.Resolve(parse.GetValue(data)));
            var known = table.Select(t => t.Device).ToList();
            if (!names.Contains("all"))
            {
                foreach (string name in names)
                    if (!known.Contains(name))
                        throw new InvalidInputException($"unknown device '{name}'; devices in {NasBench201Hardware.LatencyFile}: {string.Join(", ", known)}");
            }
            var chosen = names.Contains("all") ? table.ToList() : names.Select(n => table.First(t => t.Device == n)).ToList();
            ulong firstSeed = parse.GetValue(seed);
            Write(stdout, chosen, sampleCounts, firstSeed, repeatCount, parse.GetValue(verbose));
            return 0;
        });
        return command;
    }

    /// <summary>once-for-all MobileNetV3: per device of HELP's table, a per-block model fitted on K subnets, scored on the others.</summary>
    /// <param name="samplesText">Subnets to fit on, as given; null for the default 4,000.</param>
    private static int Ofa(TextWriter stdout, string deviceText, string? samplesText, ulong seed, string? data)
    {
        var measured = WeakNas.Spaces.MobileNetV3.OfaMeasuredLatency.Load(DataFolder.Resolve(data));
        int n = measured.Subnets.Count;
        int k = samplesText == null ? Math.Min(4000, n - 1) : int.TryParse(samplesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int given) && given >= 2 && given < n ? given
            : throw new InvalidInputException($"--samples: with ofa-mbv3, a number of subnets from 2 to {n - 1} to fit on (default 4000), got '{samplesText}'");
        var names = deviceText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var known = measured.Devices.Select(d => d.Device).ToList();
        foreach (string name in names)
            if (name != "all" && !known.Contains(name)) throw new InvalidInputException($"unknown device '{name}'; devices in {WeakNas.Spaces.MobileNetV3.OfaMeasuredLatency.RelativePath}: {string.Join(", ", known)}");
        var order = Enumerable.Range(0, n).ToArray();
        new Rng(seed).Shuffle(order.AsSpan());
        var train = order[..k];
        var test = order[k..];
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv, $"## once-for-all MobileNetV3, per-block additive model fitted on {k:N0} of HELP's {n:N0} measured subnets (seed {seed}), scored on the other {test.Length:N0}"));
        stdout.WriteLine();
        stdout.WriteLine("| device | median latency (ms) | RMSE (ms) | RMSE / median | mean rel. error | Kendall τ | Spearman ρ |");
        stdout.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, latency) in measured.Devices.Where(d => names.Contains("all") || names.Contains(d.Device)))
        {
            var model = WeakNas.Spaces.MobileNetV3.OfaLatencyModel.Fit([.. train.Select(i => measured.Subnets[i])], [.. train.Select(i => latency[i])]);
            var actual = test.Select(i => latency[i]).ToArray();
            var predicted = test.Select(i => model.Predict(measured.Subnets[i])).ToArray();
            double rmse = Math.Sqrt(actual.Zip(predicted).Average(p => (p.First - p.Second) * (p.First - p.Second)));
            double median = Statistics.Quantile([.. actual.Order()], 0.5);
            double relative = actual.Zip(predicted).Average(p => Math.Abs(p.First - p.Second) / p.First);
            stdout.WriteLine(string.Create(inv,
                $"| {name} | {median:F2} | {rmse:F3} | {rmse / median:F3} | {relative:F3} | {RankCorrelation.KendallTau(actual, predicted):F3} | {RankCorrelation.Spearman(actual, predicted):F3} |"));
        }
        stdout.WriteLine();
        return 0;
    }

    private static List<int> ParseSamples(string text)
    {
        var counts = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "all") counts.Add(NasBench201Space.Instance.Count);
            else if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k > 0) counts.Add(Math.Min(k, NasBench201Space.Instance.Count));
            else throw new InvalidInputException($"--samples: '{part}' is not a positive number of cells or all");
        }
        if (counts.Count == 0) throw new InvalidInputException("--samples: give at least one number of cells, e.g. 100");
        return counts.Distinct().ToList();
    }

    private static void Write(TextWriter stdout, List<(string Device, double[] Latency)> devices, List<int> sampleCounts, ulong firstSeed, int repeats, bool verbose)
    {
        var inv = CultureInfo.InvariantCulture;
        int total = NasBench201Space.Instance.Count;
        foreach (int k in sampleCounts)
        {
            bool all = k >= total;
            int draws = all ? 1 : repeats;
            stdout.WriteLine(all
                ? $"## Fitted on all {total:N0} cells (in-sample: the best an additive model can do)"
                : string.Create(inv, $"## Fitted on K = {k} random cells (seed {firstSeed}{(draws > 1 ? $", mean over {draws} draws, seeds {firstSeed}–{firstSeed + (ulong)draws - 1}" : "")}), scored on all {total:N0}"));
            stdout.WriteLine();
            stdout.WriteLine("| device | median latency (ms) | RMSE (ms) | RMSE / median | mean rel. error | median rel. error | Kendall τ | Spearman ρ |");
            stdout.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var firstFits = new List<(string Device, LatencyModelFidelity Fit)>();
            foreach (var (name, latency) in devices)
            {
                var fits = Enumerable.Range(0, draws).Select(r => LatencyModelFidelity.Measure(latency, k, firstSeed + (ulong)r)).ToList();
                firstFits.Add((name, fits[0]));
                var sorted = latency.Order().ToArray();
                double median = Statistics.Quantile(sorted, 0.5);
                double rmse = fits.Average(f => f.Rmse);
                stdout.WriteLine(string.Create(inv,
                    $"| {name} | {median:F2} | {rmse:F3} | {rmse / median:F3} | {fits.Average(f => f.MeanRelativeError):F3} | {fits.Average(f => f.MedianRelativeError):F3} | {fits.Average(f => f.KendallTau):F3} | {fits.Average(f => f.Spearman):F3} |"));
            }
            stdout.WriteLine();
            if (!verbose) continue;
            stdout.WriteLine(all ? "Fitted costs (ms over none):" : string.Create(inv, $"Fitted costs from the first draw (seed {firstSeed}), ms over none:"));
            stdout.WriteLine();
            stdout.WriteLine("| device | constant | edge | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3 |");
            stdout.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
            string[] edges = ["0→1", "0→2", "1→2", "0→3", "1→3", "2→3"];
            foreach (var (name, fit) in firstFits)
            {
                var m = fit.Model;
                static double C(double v) => Math.Round(v, 4) + 0.0; // no "-0.0000"
                for (int e = 0; e < edges.Length; e++)
                {
                    string head = e == 0 ? string.Create(inv, $"| {name} | {C(m.Constant):F4}") : "| | ";
                    stdout.WriteLine(string.Create(inv,
                        $"{head} | {edges[e]} | {C(m.Cost(e, NasBench201Op.SkipConnect)):F4} | {C(m.Cost(e, NasBench201Op.Conv1x1)):F4} | {C(m.Cost(e, NasBench201Op.Conv3x3)):F4} | {C(m.Cost(e, NasBench201Op.AvgPool3x3)):F4} |"));
                }
            }
            stdout.WriteLine();
        }
    }
}
