using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeakNas.Experiments;
using WeakNas.Spaces.Declared;
using WeakNas.Studies;

namespace WeakNas.Cli;

/// <summary>
/// `weaknas study perf`: how many trials per second a storage sustains when evaluating costs nothing. It creates a
/// study over a declared space of 10^12 architectures (fresh candidates, so any budget fits), runs W workers against
/// it, each with its own storage connection and its own copy of the study as a separate process would have, with an
/// evaluator that returns a hash of the architecture at once, and reports the rate in windows of trials (read back
/// from the stored finish times) so that a cost growing with the study's size shows.
/// </summary>
internal static class StudyPerfCommand
{
    /// <summary>Twelve decisions of ten choices: large enough that no budget exhausts it, small to encode.</summary>
    internal static DeclaredSpace Space { get; } = DeclaredSpaceFile.Parse(JsonSerializer.Serialize(new
    {
        name = "perf",
        description = "Twelve decisions of ten choices (10^12 architectures), for measuring a storage.",
        decisions = Enumerable.Range(1, 12).ToDictionary(i => $"d{i:D2}", _ => new { choices = Enumerable.Range(0, 10).Select(c => $"c{c}").ToArray() }),
    }), "study perf");

    public static Command Create(TextWriter stdout)
    {
        var storage = new Option<string?>("--storage") { Description = $"Storage to measure (default: a new SQLite file in the temporary folder, deleted afterwards); {StudyStorage.Forms}." };
        var workers = new Option<int>("--workers") { Description = "Workers, each with its own storage connection and study, as separate processes.", DefaultValueFactory = _ => 1 };
        var strategy = new Option<string>("--strategy") { Description = $"One of {string.Join(", ", StrategyFactory.Names)}.", DefaultValueFactory = _ => "random" };
        var budget = new Option<int>("--budget") { Description = "Trials in the study.", DefaultValueFactory = _ => 10_000 };
        var batch = new Option<int>("--batch") { Description = "Proposals per batch (WeakNAS proposes its own M).", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "Trials per line of the report.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the strategy.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Also write the report to this Markdown file." };
        var command = new Command("perf", "Measure the trials per second a storage sustains with an evaluator that costs nothing.")
        {
            storage, workers, strategy, budget, batch, window, seed, output,
        };
        command.SetAction(parse =>
        {
            StrategyFactory.CheckName(parse.GetValue(strategy)!);
            if (parse.GetValue(output) is { } outPath) OutputFile.CheckWritable(outPath, "--out");
            string? temporary = parse.GetValue(storage) == null ? Path.Combine(Path.GetTempPath(), $"weaknas-perf-{Environment.ProcessId}.db") : null;
            string url = temporary != null ? "sqlite:///" + temporary : StudyStorage.Resolve(parse.GetValue(storage));
            try
            {
                string report = Run(url, parse.GetValue(workers), parse.GetValue(strategy)!, parse.GetValue(budget), parse.GetValue(batch), parse.GetValue(window), parse.GetValue(seed), stdout);
                if (parse.GetValue(output) is { } path) OutputFile.Write(path, "--out", report);
            }
            finally
            {
                if (temporary != null)
                {
                    Studies.SqliteStudyStorage.ClosePooled(temporary);
                    foreach (string suffix in new[] { "", "-wal", "-shm" }) File.Delete(temporary + suffix);
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>The evaluator: a score from a hash of the architecture's text, at no cost.</summary>
    private sealed class HashEvaluator : ITrialEvaluator
    {
        public string Evaluate(StudySpec study, Trial trial, CancellationToken cancel)
        {
            uint h = 2166136261;
            foreach (char c in trial.Arch) h = (h ^ c) * 16777619;
            return string.Create(CultureInfo.InvariantCulture, $"{{\"{study.Metric}\":{h % 1_000_003 / 1_000_003.0:R}}}");
        }
    }

    private static string Run(string url, int workerCount, string strategy, int budget, int batch, int window, ulong seed, TextWriter stdout)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"perf-{strategy}-{workerCount}w-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
        var spec = new StudySpec
        {
            Name = name, Space = Space.Name, Declaration = Space.ToDeclarationJson(), Strategy = strategy, Seed = seed, Budget = budget, BatchSize = batch,
            Fresh = new FreshCandidateSettings(),
        };
        var stores = new List<IStudyStorage>();
        try
        {
            var first = StudyStorage.Open(url);
            stores.Add(first);
            Study.Create(first, spec);
            var studies = new Study[workerCount];
            for (int i = 0; i < workerCount; i++)
            {
                // memory: lives in this process only, so its workers share the one store.
                var store = i == 0 || first is MemoryStudyStorage ? first : StudyStorage.Open(url);
                if (store != first) stores.Add(store);
                studies[i] = Study.Load(store, name);
            }
            var evaluator = new HashEvaluator();
            var options = new WorkerOptions { MaxConsecutiveFailures = 0 };
            var reports = new WorkerReport[workerCount];
            long startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var clock = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, workerCount).Select(i => new Thread(() => reports[i] = new StudyWorker(studies[i], evaluator, $"perf-{i}", options).Run())).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            double seconds = clock.Elapsed.TotalSeconds;

            var finished = first.Trials(name).Where(t => t.State == TrialState.Complete).Select(t => t.FinishedMs!.Value).Order().ToList();
            var inv = CultureInfo.InvariantCulture;
            var s = new StringWriter(inv);
            s.WriteLine(string.Create(inv, $"study perf: {strategy}, {workerCount} worker{(workerCount == 1 ? "" : "s")}, {StudyLocation(first)}, budget {budget:N0}, batch {batch}"));
            s.WriteLine();
            s.WriteLine("| trials | trials/s | ms per trial |");
            s.WriteLine("|---|---:|---:|");
            for (int from = 0; from < finished.Count; from += window)
            {
                int to = Math.Min(finished.Count, from + window);
                long begin = from == 0 ? startMs : finished[from - 1];
                double ms = Math.Max(1, finished[to - 1] - begin);
                s.WriteLine(string.Create(inv, $"| {from + 1:N0}–{to:N0} | {(to - from) / ms * 1000:F0} | {ms / (to - from):F3} |"));
            }
            s.WriteLine();
            double strategySeconds = studies.Sum(x => x.StrategyTime.TotalSeconds);
            s.WriteLine(string.Create(inv,
                $"whole run: {finished.Count:N0} trials complete in {seconds:F1} s, {finished.Count / seconds:F0} trials/s; {reports.Sum(r => r.Failed)} failed, {reports.Sum(r => r.Lost)} late; strategy (telling and asking, all workers): {strategySeconds:F1} s; study '{name}'"));
            stdout.Write(s.ToString());
            return s.ToString();
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    private static string StudyLocation(IStudyStorage storage) => storage switch
    {
        SqlStudyStorage sql => sql.Location,
        _ => "memory",
    };
}
