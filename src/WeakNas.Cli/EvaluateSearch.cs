using System.Globalization;
using WeakNas.Studies;
using WeakNas.Strategies;

namespace WeakNas.Cli;

/// <summary>
/// `weaknas search --space FILE --evaluate CMD`: one search that trains with the user's command. It is a study in the
/// storage (created on the first run, resumed by the same command after an interruption or a kill) evaluated by a worker
/// in this process, under the contract, timeout and retries of `weaknas worker`; the storage holds every finished
/// evaluation, so a rerun continues where the last one stopped.
/// </summary>
internal static class EvaluateSearch
{
    public sealed record Settings(
        string StudyName, string? StorageUrl, string Space, DeclaredStudy? Declared, string Strategy, ulong Seed, int Budget, WeakNasOptions WeakNas,
        string Command, double TimeoutSeconds, double GraceSeconds, int Retries, string Metric, string? Out, OfaStudySettings? Ofa = null, string? Results = null, int MaxFailures = 5, string? Plot = null, string[]? SpaceConstraints = null);

    public static int Run(Settings s, TextWriter stdout, TextWriter stderr)
    {
        var spec = new StudySpec
        {
            Name = s.StudyName,
            Space = s.Declared?.Space ?? s.Space,
            Declaration = s.Declared?.Declaration,
            Pool = s.Declared?.Pool,
            PoolSeed = s.Declared?.PoolSeed,
            Strategy = s.Strategy,
            Seed = s.Seed,
            Budget = s.Budget,
            Metric = s.Metric,
            GraceSeconds = s.GraceSeconds,
            WeakNas = WeakNasCliOptions.UsedBy.Contains(s.Strategy) ? WeakNasStudySettings.From(s.WeakNas) : null,
            Ofa = s.Ofa,
            SpaceConstraints = s.SpaceConstraints,
        };
        spec.Validate();
        string url = StudyStorage.Resolve(s.StorageUrl);
        using var store = StudyStorage.Open(url);
        Study study;
        if (store.FindStudy(s.StudyName) is { } existing)
        {
            if (!SameSearch(existing, spec))
                throw new InvalidInputException($"study '{s.StudyName}' in {url} is another search (space, pool, strategy, seed, budget, metric or WeakNAS settings differ); pass --study NAME for a new one");
            study = Study.Load(store, s.StudyName);
            if (study.Paused() is { } reason)
            {
                // Running the search again is asking for it to go on: the user has seen why it stopped.
                stderr.WriteLine($"search: study '{s.StudyName}' was paused ({reason}); resuming it");
                study.Resume();
            }
            int done = study.Trials().Count(t => t.State == TrialState.Complete);
            stderr.WriteLine($"search: resuming study '{s.StudyName}' in {url}: {done} of {s.Budget} evaluations finished");
        }
        else
        {
            study = Study.Create(store, spec);
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"search: study '{s.StudyName}' in {url}: {s.Strategy} on {spec.Space}, budget {s.Budget}{(s.Declared == null ? "" : "; " + s.Declared.Describe(StudySpace.Get(spec)))}{(spec.Ofa is { } o ? "; " + o.Describe() : "")}{(spec.SpaceConstraints is { } c ? $"; constraint {string.Join(" & ", c)} (millions of parameters, CIFAR-10 network)" : "")}"));
        }

        var evaluator = StudyCommand.Evaluator(s.Command, s.TimeoutSeconds, StudyResults.Resolve(s.Results, store, s.StudyName), stderr);
        using var interrupt = new Interruption();
        var worker = new StudyWorker(study, evaluator, StudyWorker.DefaultId(0), new WorkerOptions { Retries = s.Retries, MaxConsecutiveFailures = s.MaxFailures })
        {
            Finished = (t, metrics, error) => stderr.WriteLine(StudyCommand.FinishedLine(study.Spec, t, metrics, error)),
        };
        var report = worker.Run(interrupt.Token);
        var trials = study.Trials();
        stdout.WriteLine($"search: {report.Completed} evaluated now, {report.Failed} failed now");
        stdout.Write(study.Status().ToText());
        if (s.Out != null) OutputFile.Write(s.Out, "--out", StudyExport.Json(study.Spec, trials));
        HistoryPlots.WriteStudy(s.Plot, study.Spec, trials);
        if (report.Paused is { } paused)
        {
            stderr.WriteLine($"weaknas: search paused: {paused}; fix the command, then run the same search again to go on");
            return StudyCommand.PausedExitCode;
        }
        if (interrupt.Token.IsCancellationRequested && !study.IsDone())
        {
            stderr.WriteLine($"weaknas: interrupted; the finished evaluations are in {url} (study '{s.StudyName}'): run the same command to go on");
            return Interruption.ExitCode;
        }
        return 0;
    }

    /// <summary>
    /// The same search when the stored spec is this one but for its creation time and fault policy (compared as stored
    /// JSON); a resumed study keeps the grace it was created with.
    /// </summary>
    private static bool SameSearch(StudySpec stored, StudySpec asked) =>
        (stored with { CreatedMs = 0, GraceSeconds = 0, MaxAttempts = 0 }).ToJson() == (asked with { CreatedMs = 0, GraceSeconds = 0, MaxAttempts = 0 }).ToJson();
}
