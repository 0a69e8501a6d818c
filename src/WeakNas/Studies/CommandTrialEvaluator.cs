using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeakNas.Studies;

/// <summary>
/// Evaluates a trial with the user's own command (`--evaluate "python train.py {arch_json_file}"`): the architecture
/// is written to a JSON file, the command runs through the shell with {arch_json_file}, {trial}, {study} and
/// {trial_dir} replaced (and WEAKNAS_ARCH_JSON, WEAKNAS_TRIAL, WEAKNAS_STUDY, WEAKNAS_TRIAL_DIR in its environment),
/// and the last non-empty line of its standard output must be a JSON object holding the study's metric. A non-zero
/// exit, a timeout (the whole process tree is killed), malformed output or a non-finite metric fail the attempt, with
/// the end of stderr in the reason.
/// <para>
/// <b>Durable results.</b> With a results folder, every attempt runs in a folder of its own,
/// <c>trial-N/claim-C.R/</c> (the C-th claim of the trial, its R-th retry), which holds the architecture file, what
/// the command printed (<c>stdout</c>, <c>stderr</c>), and, written by the shell that runs the command (not by this
/// process), its process id (<c>pid</c>) once it starts and its exit code (<c>exit</c>) once it ends. So a result
/// the command finished survives a kill of the worker at any instant, and whoever evaluates the trial next looks
/// there first: a finished successful attempt is recorded instead of run again, and an attempt still running on
/// this machine (its worker was killed; the command goes on) is waited for and then recorded. The folder must be
/// shared by the workers that may take each other's trials (one machine: any folder; several: a shared volume);
/// where it is not shared, a trial whose worker vanished is evaluated again on the other machine, as without one.
/// </para>
/// </summary>
public sealed class CommandTrialEvaluator : ITrialEvaluator
{
    private const int StderrKept = 2000;
    private const string AttemptFile = "attempt.json";

    /// <param name="resultsFolder">The study's results folder (see the class remarks); null: a temporary folder per attempt, deleted after it.</param>
    public CommandTrialEvaluator(string command, TimeSpan timeout, string? resultsFolder = null)
    {
        Command = string.IsNullOrWhiteSpace(command) ? throw new InvalidInputException("--evaluate: the command is empty") : command;
        Timeout = timeout;
        ResultsFolder = resultsFolder == null ? null : Path.GetFullPath(resultsFolder);
    }

    public string Command { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Where each trial's attempts live; null when attempts run in temporary folders.</summary>
    public string? ResultsFolder { get; }

    /// <summary>Told when a trial's result comes from an earlier attempt (recovered, or waited for), with what happened.</summary>
    public Action<Trial, string>? Recovered { get; init; }

    /// <summary>The folder of one trial's attempts.</summary>
    public string TrialFolder(Trial trial) =>
        Path.Combine(ResultsFolder ?? throw new InvalidOperationException("no results folder"), "trial-" + trial.Number.ToString(CultureInfo.InvariantCulture));

    public string Evaluate(StudySpec study, Trial trial, CancellationToken cancel)
    {
        if (ResultsFolder == null)
        {
            string temporary = Path.Combine(Path.GetTempPath(), $"weaknas-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temporary);
            try
            {
                return Attempt(study, trial, temporary, temporary, cancel);
            }
            finally
            {
                TryDeleteFolder(temporary);
            }
        }
        string trialFolder = TrialFolder(trial);
        if (Recover(study, trial, trialFolder, cancel) is { } recovered) return recovered;
        return Attempt(study, trial, NewAttemptFolder(study, trial, trialFolder), trialFolder, cancel);
    }

    /// <summary>Indented, and quotes and other characters as they are (a file for a script, never HTML): DARTS's genotype text reads as DARTS prints it.</summary>
    private static readonly JsonSerializerOptions ArchitectureFileOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        return json.ToJsonString(ArchitectureFileOptions);
    }

    /// <summary>
    /// A result an earlier attempt of this trial finished (its exit code 0 and a usable last line), waiting first for an
    /// attempt still running on this machine; null when there is none and the trial must be evaluated.
    /// </summary>
    private string? Recover(StudySpec study, Trial trial, string trialFolder, CancellationToken cancel)
    {
        if (!Directory.Exists(trialFolder)) return null;
        foreach (string folder in AttemptFolders(trialFolder))
        {
            if (AttemptHost(folder, study, trial) is not { } host) continue;
            string name = Path.GetFileName(folder);
            bool waited = false;
            if (!File.Exists(Path.Combine(folder, "exit")) && host == Environment.MachineName && RunningProcess(folder) is { } running)
            {
                using (running)
                {
                    waited = true;
                    if (!WaitForOrphan(running, folder, cancel)) continue;
                }
            }
            if (ReadExit(folder) != 0) continue;
            try
            {
                string result = ResultLine(study, folder);
                Recovered?.Invoke(trial, waited
                    ? $"waited for {name}, still running after its worker stopped, and recorded its result"
                    : $"recorded the result {name} finished before its worker stopped");
                return result;
            }
            catch (EvaluationException)
            {
                // That attempt's output was unusable; it failed, and this one evaluates anew.
            }
        }
        return null;
    }

    /// <summary>Attempt folders of a trial, oldest first: claim-C.R by claim, then retry.</summary>
    private static IEnumerable<string> AttemptFolders(string trialFolder) =>
        Directory.EnumerateDirectories(trialFolder, "claim-*")
            .Select(f => (Folder: f, Key: AttemptKey(Path.GetFileName(f))))
            .Where(f => f.Key != null)
            .OrderBy(f => f.Key!.Value.Claim).ThenBy(f => f.Key!.Value.Retry)
            .Select(f => f.Folder)
            .ToList();

    private static (int Claim, int Retry)? AttemptKey(string name)
    {
        var parts = name["claim-".Length..].Split('.');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int c)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? (c, r) : null;
    }

    /// <summary>
    /// The host of an attempt made for this study's trial and this architecture; null for anything else (a stale folder of
    /// another study of that name, or an attempt file that cannot be read).
    /// </summary>
    private static string? AttemptHost(string folder, StudySpec study, Trial trial)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, AttemptFile)));
            var root = doc.RootElement;
            bool ours = root.GetProperty("study").GetString() == study.Name && root.GetProperty("created_ms").GetInt64() == study.CreatedMs
                && root.GetProperty("trial").GetInt32() == trial.Number && root.GetProperty("arch").GetString() == trial.Arch;
            return ours ? root.GetProperty("host").GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The attempt's shell, when it is alive on this machine (its pid, started just before it wrote the pid file).</summary>
    private static Process? RunningProcess(string folder)
    {
        try
        {
            string pidFile = Path.Combine(folder, "pid");
            if (!File.Exists(pidFile)) return null;
            int pid = int.Parse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            var written = File.GetLastWriteTimeUtc(pidFile);
            var process = Process.GetProcessById(pid);
            var started = process.StartTime.ToUniversalTime();
            // A pid is reused once its process is gone: the one that wrote the file started at most moments before.
            if (started <= written.AddSeconds(1) && started >= written.AddSeconds(-30) && !process.HasExited) return process;
            process.Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException
            or FormatException or OverflowException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Waits for an attempt whose worker stopped; kills it past the timeout (from its start). True when it ended by itself.</summary>
    private bool WaitForOrphan(Process process, string folder, CancellationToken cancel)
    {
        var deadline = File.GetLastWriteTimeUtc(Path.Combine(folder, "pid")) + Timeout;
        while (!File.Exists(Path.Combine(folder, "exit")))
        {
            bool gone;
            try
            {
                gone = process.HasExited;
            }
            catch (InvalidOperationException)
            {
                gone = true;
            }
            if (gone) return File.Exists(Path.Combine(folder, "exit"));
            if (cancel.IsCancellationRequested || DateTime.UtcNow > deadline)
            {
                Kill(process);
                cancel.ThrowIfCancellationRequested();
                return false;
            }
            cancel.WaitHandle.WaitOne(200);
        }
        return true;
    }

    private static string NewAttemptFolder(StudySpec study, Trial trial, string trialFolder)
    {
        Directory.CreateDirectory(trialFolder);
        for (int retry = 0; ; retry++)
        {
            string folder = Path.Combine(trialFolder, string.Create(CultureInfo.InvariantCulture, $"claim-{trial.Attempts}.{retry}"));
            // Creating the attempt file first claims the folder: a folder is never shared by two attempts.
            Directory.CreateDirectory(folder);
            try
            {
                using var stream = new FileStream(Path.Combine(folder, AttemptFile), FileMode.CreateNew, FileAccess.Write);
                var json = new JsonObject
                {
                    ["study"] = study.Name, ["created_ms"] = study.CreatedMs, ["trial"] = trial.Number, ["arch"] = trial.Arch,
                    ["claim"] = trial.Attempts, ["retry"] = retry, ["host"] = Environment.MachineName, ["worker_pid"] = Environment.ProcessId,
                    ["started_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                };
                stream.Write(Encoding.UTF8.GetBytes(json.ToJsonString()));
                stream.Flush(flushToDisk: true);
                return folder;
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, AttemptFile)))
            {
                // Taken by an earlier attempt of this claim: the next retry number.
            }
        }
    }

    private string Attempt(StudySpec study, Trial trial, string folder, string trialFolder, CancellationToken cancel)
    {
        string archFile = Path.Combine(folder, "arch.json");
        File.WriteAllText(archFile, ArchitectureJson(study, trial));
        string text = Command.Replace("{arch_json_file}", Quote(archFile), StringComparison.Ordinal)
            .Replace("{trial}", trial.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{study}", Quote(study.Name), StringComparison.Ordinal)
            .Replace("{trial_dir}", Quote(trialFolder), StringComparison.Ordinal);
        string stdoutFile = Path.Combine(folder, "stdout"), stderrFile = Path.Combine(folder, "stderr");
        ProcessStartInfo info;
        if (OperatingSystem.IsWindows())
        {
            info = new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", $"({text}) > \"{stdoutFile}\" 2> \"{stderrFile}\" < NUL" } };
        }
        else
        {
            // The shell, not this process, writes the pid and the exit code, so both are on disk whenever this process dies.
            // (An orphaned shell whose stderr is gone could not say why a write failed; the missing file says it.)
            // The command runs in a subshell: its `exit` ends the subshell, and a child it leaves running holds nothing.
            const string dir = "\"$WEAKNAS_ATTEMPT_DIR\"";
            // Nothing of this process's is inherited: a command left running after this process died holds none of its pipes.
            string script = $"exec < /dev/null > /dev/null 2>&1\necho $$ > {dir}/pid.tmp && mv {dir}/pid.tmp {dir}/pid\n(\n{text}\n) > {dir}/stdout 2> {dir}/stderr < /dev/null\n"
                + $"rc=$?\necho $rc > {dir}/exit.tmp && mv {dir}/exit.tmp {dir}/exit\nexit $rc\n";
            info = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script } };
        }
        info.UseShellExecute = false;
        info.Environment["WEAKNAS_ATTEMPT_DIR"] = folder;
        info.Environment["WEAKNAS_ARCH_JSON"] = archFile;
        info.Environment["WEAKNAS_TRIAL"] = trial.Number.ToString(CultureInfo.InvariantCulture);
        info.Environment["WEAKNAS_STUDY"] = study.Name;
        info.Environment["WEAKNAS_TRIAL_DIR"] = trialFolder;

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EvaluationException($"cannot start the evaluation command: {e.Message}");
        }
        bool exited;
        try
        {
            exited = process.WaitForExitAsync(cancel).Wait(Timeout, cancel);
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
            throw new EvaluationException(string.Create(CultureInfo.InvariantCulture, $"timed out after {Timeout.TotalSeconds:0.###} s{Tail(stderrFile)}"));
        }
        process.WaitForExit();
        int code = process.ExitCode;
        if (OperatingSystem.IsWindows()) File.WriteAllText(Path.Combine(folder, "exit"), code.ToString(CultureInfo.InvariantCulture));
        if (code != 0) throw new EvaluationException($"command exited with code {code}{Tail(stderrFile)}");
        return ResultLine(study, folder);
    }

    /// <summary>The attempt's exit code as its shell wrote it; null when it has none (still running, or killed).</summary>
    private static int? ReadExit(string folder)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(folder, "exit")).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) ? code : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The last non-empty line of the attempt's stdout, checked to hold the study's metric.</summary>
    private static string ResultLine(StudySpec study, string folder)
    {
        string stdoutFile = Path.Combine(folder, "stdout"), stderrFile = Path.Combine(folder, "stderr");
        string last = LastLine(stdoutFile);
        if (last.Length == 0) throw new EvaluationException($"command printed nothing on stdout; expected a JSON object with '{study.Metric}' on its last line{Tail(stderrFile)}");
        try
        {
            StudyMetrics.Read(last, study.Metric);
        }
        catch (EvaluationException e)
        {
            throw new EvaluationException($"last stdout line: {e.Message}{Tail(stderrFile)}");
        }
        return last;
    }

    /// <summary>The last non-empty line of a file, read from its end (a training log may be large).</summary>
    private static string LastLine(string path)
    {
        if (!File.Exists(path)) return "";
        for (long window = 64 * 1024; ; window *= 4)
        {
            var (text, whole) = Tail(path, window);
            string[] lines = text.Split('\n');
            // The first line of a window that does not start the file may be cut: only trust the lines after it.
            for (int i = lines.Length - 1; i >= (whole ? 0 : 1); i--)
            {
                string line = lines[i].Trim();
                if (line.Length > 0) return line;
            }
            if (whole) return "";
        }
    }

    /// <summary>The last <paramref name="bytes"/> of a file as text, and whether that is the whole file.</summary>
    private static (string Text, bool Whole) Tail(string path, long bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = Math.Max(0, stream.Length - bytes);
        stream.Position = start;
        var buffer = new byte[stream.Length - start];
        stream.ReadExactly(buffer);
        return (Encoding.UTF8.GetString(buffer), start == 0);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>The end of the attempt's stderr, for the reason of a failure ("; stderr: ..."), or nothing.</summary>
    private static string Tail(string stderrFile)
    {
        string text;
        try
        {
            if (!File.Exists(stderrFile)) return "";
            text = Tail(stderrFile, 4 * StderrKept).Text.Trim();
        }
        catch (IOException)
        {
            return "";
        }
        if (text.Length == 0) return "";
        if (text.Length > StderrKept) text = "…" + text[^StderrKept..];
        return "; stderr: " + text;
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static string Quote(string value) =>
        OperatingSystem.IsWindows() ? "\"" + value + "\"" : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
