using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Studies;

/// <summary>
/// Evaluates a trial with the user's own command (`--evaluate "python train.py {arch_json_file}"`): the architecture
/// is written to a JSON file, the command runs through the shell with {arch_json_file}, {trial} and {study} replaced
/// (and WEAKNAS_ARCH_JSON, WEAKNAS_TRIAL, WEAKNAS_STUDY in its environment), and the last non-empty line of its
/// standard output must be a JSON object holding the study's metric. A non-zero exit, a timeout (the whole process
/// tree is killed), malformed output or a non-finite metric fail the attempt, with the end of stderr in the reason.
/// </summary>
public sealed class CommandTrialEvaluator(string command, TimeSpan timeout, string? workingDirectory = null) : ITrialEvaluator
{
    private const int StderrKept = 2000;

    public string Command { get; } = string.IsNullOrWhiteSpace(command)
        ? throw new InvalidInputException("--evaluate: the command is empty")
        : command;

    public string Evaluate(StudySpec study, Trial trial, CancellationToken cancel)
    {
        string file = Path.Combine(Path.GetTempPath(), $"weaknas-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, ArchitectureJson(study, trial));
        try
        {
            return Run(study, trial, file, cancel);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The file the command reads: the study, the trial, and the architecture in text and as edges.</summary>
    public static string ArchitectureJson(StudySpec study, Trial trial)
    {
        var json = new JsonObject
        {
            ["study"] = study.Name,
            ["trial"] = trial.Number,
            ["attempt"] = trial.Attempts,
            ["space"] = study.Space,
            ["index"] = trial.ArchIndex,
            ["arch"] = trial.Arch,
            ["metric"] = study.Metric,
        };
        // What the space adds for scripts: a declared space's decisions as an object, NAS-Bench-201's edges.
        StudySpace.Get(study).Provider.Describe(trial.Arch, json);
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private string Run(StudySpec study, Trial trial, string file, CancellationToken cancel)
    {
        string text = Command.Replace("{arch_json_file}", Quote(file), StringComparison.Ordinal)
            .Replace("{trial}", trial.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{study}", Quote(study.Name), StringComparison.Ordinal);
        var info = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", text } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", text } };
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        if (workingDirectory != null) info.WorkingDirectory = workingDirectory;
        info.Environment["WEAKNAS_ARCH_JSON"] = file;
        info.Environment["WEAKNAS_TRIAL"] = trial.Number.ToString(CultureInfo.InvariantCulture);
        info.Environment["WEAKNAS_STUDY"] = study.Name;

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
                if (stderr.Length > 4 * StderrKept) stderr.Remove(0, stderr.Length - StderrKept);
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EvaluationException($"cannot start the evaluation command: {e.Message}");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited;
        try
        {
            exited = process.WaitForExitAsync(cancel).Wait(timeout, cancel);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            Kill(process);
            throw new OperationCanceledException(cancel);
        }
        if (!exited)
        {
            Kill(process);
            throw new EvaluationException(string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.###} s{Tail(stderr)}"));
        }
        process.WaitForExit(); // drains the output readers
        if (process.ExitCode != 0)
            throw new EvaluationException($"command exited with code {process.ExitCode}{Tail(stderr)}");
        string last = stdout.ToString().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
        if (last.Length == 0) throw new EvaluationException($"command printed nothing on stdout; expected a JSON object with '{study.Metric}' on its last line{Tail(stderr)}");
        try
        {
            StudyMetrics.Read(last, study.Metric);
        }
        catch (EvaluationException e)
        {
            throw new EvaluationException($"last stdout line: {e.Message}{Tail(stderr)}");
        }
        return last;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Tail(StringBuilder stderr)
    {
        string text;
        lock (stderr) text = stderr.ToString().Trim();
        if (text.Length == 0) return "";
        if (text.Length > StderrKept) text = "…" + text[^StderrKept..];
        return "; stderr: " + text;
    }

    private static string Quote(string value) =>
        OperatingSystem.IsWindows() ? "\"" + value + "\"" : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
