using System.Diagnostics;
using System.Text;
using System.Text.Json;
using WeakNas.Studies;
using WeakNas.Tests.Cli;
using WeakNas.Tests.Studies;

namespace WeakNas.Tests.Examples;

/// <summary>
/// A Python with PyTorch and scikit-learn for examples/pytorch-digits: $WEAKNAS_PYTHON, else Debian's /usr/bin/python3,
/// else python3 on the PATH, the first that imports both. CI installs Debian's python3-torch and python3-sklearn and sets
/// WEAKNAS_REQUIRE_TORCH=1, so these tests cannot be skipped there unnoticed.
/// </summary>
internal static class Torch
{
    public const string RequireVariable = "WEAKNAS_REQUIRE_TORCH";

    private static readonly Lazy<string?> Found = new(() =>
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("WEAKNAS_PYTHON") is { Length: > 0 } given) candidates.Add(given);
        candidates.Add("/usr/bin/python3");
        candidates.Add("python3");
        return candidates.FirstOrDefault(python => Python.Run(python, ["-c", "import torch, sklearn"]).Code == 0);
    });

    /// <summary>The interpreter, or null when none here has PyTorch and scikit-learn.</summary>
    public static string? Python3 => Found.Value;

    public static string? SkipReason => Python3 == null
        ? "no python3 here imports torch and sklearn (Debian: apt-get install python3-torch python3-sklearn; or set WEAKNAS_PYTHON)"
        : null;
}

internal sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute() => Skip = Torch.SkipReason;
}

internal sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute() => Skip = Torch.SkipReason;
}

/// <summary>Runs a Python interpreter on a script and captures what it writes.</summary>
internal static class Python
{
    public static (int Code, string Out, string Err) Run(string python, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}

/// <summary>
/// examples/pytorch-digits, run the way the README shows it: its commands are read from README.md and run with a few
/// networks and one epoch each, on real PyTorch training. The training script itself: fixed seeds (a rerun gives the same
/// accuracies), every metric reported, and bad input refused in one line with exit code 2.
/// </summary>
public class PyTorchExampleTests
{
    private static readonly string Example = Path.Combine(TestData.RepositoryRoot, "examples", "pytorch-digits");
    private static readonly string TrainScript = Path.Combine(Example, "train.py");

    /// <summary>
    /// The README's example command lines that start with <paramref name="start"/> (after `weaknas ` or `dotnet run ... --`),
    /// as arguments, with the README's Python and script path replaced by this machine's interpreter and the example's
    /// absolute path, and one epoch per network.
    /// </summary>
    private static List<string[]> ReadmeCommands(string start)
    {
        var lines = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "README.md"));
        var commands = new List<string[]>();
        foreach (string line in lines)
        {
            if (!line.Contains("examples/pytorch-digits/space.yaml", StringComparison.Ordinal) && !line.Contains("examples/pytorch-digits/train.py", StringComparison.Ordinal)) continue;
            var words = ShellWords(line);
            int at = words.IndexOf("--") is >= 0 and var dash && words[0] == "dotnet" ? dash + 1 : words[0] == "weaknas" ? 1 : -1;
            if (at < 0 || !string.Join(' ', words.Skip(at)).StartsWith(start, StringComparison.Ordinal)) continue;
            commands.Add(words.Skip(at).Select(w =>
                w == "/usr/bin/python3 examples/pytorch-digits/train.py {arch_json_file}" ? $"{Torch.Python3} {TrainScript} {{arch_json_file}} --epochs 1"
                : w.StartsWith("examples/pytorch-digits/", StringComparison.Ordinal) ? Path.Combine(TestData.RepositoryRoot, w)
                : w).ToArray());
        }
        Assert.True(commands.Count > 0, $"README.md shows no example command starting with '{start}'");
        return commands;
    }

    /// <summary>A line split as the shell splits it: words, double-quoted strings kept whole, a comment dropped.</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (!quoted && c == '#' && !any) break;
            else if (!quoted && char.IsWhiteSpace(c))
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else { word.Append(c); any = true; }
        }
        if (any) words.Add(word.ToString());
        return words;
    }

    /// <summary>Replaces the value of <paramref name="option"/> in a command line.</summary>
    private static string[] With(string[] args, string option, string value)
    {
        int i = Array.IndexOf(args, option);
        Assert.True(i >= 0, $"the README's command has no {option}: {string.Join(' ', args)}");
        var copy = (string[])args.Clone();
        copy[i + 1] = value;
        return copy;
    }

    private static JsonElement Metrics(Trial t) => JsonDocument.Parse(t.Metrics!).RootElement;

    /// <summary>What every trained network must report: accuracies in [0, 100], seconds, parameters, one epoch.</summary>
    private static void AssertTrained(Trial t)
    {
        Assert.Equal(TrialState.Complete, t.State);
        var m = Metrics(t);
        Assert.Equal(t.Value, m.GetProperty("accuracy").GetDouble());
        Assert.InRange(m.GetProperty("accuracy").GetDouble(), 0, 100);
        Assert.InRange(m.GetProperty("test_accuracy").GetDouble(), 0, 100);
        Assert.True(m.GetProperty("train_seconds").GetDouble() > 0);
        Assert.True(m.GetProperty("params").GetInt64() > 100);
        Assert.Equal(1, m.GetProperty("epochs").GetInt32());
    }

    [TorchFact]
    public void The_readme_search_trains_real_networks_ends_with_the_best_and_a_rerun_of_the_best_gives_the_same_accuracy()
    {
        using var folder = new TemporaryFolder();
        string url = $"sqlite:///{folder.Path}/digits.db";
        var args = ReadmeCommands("search --space").Single();
        args = With(With(args, "--budget", "6"), "--storage", url);
        var result = CliRunner.Run([.. args, "--initial", "4", "--per-iteration", "2", "--out", Path.Combine(folder.Path, "result.json")]);
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("best: trial ", result.Out, StringComparison.Ordinal);

        using var store = StudyStorage.Open(url);
        string study = Assert.Single(store.StudyNames());
        var trials = store.Trials(study);
        Assert.Equal(6, trials.Count);
        Assert.All(trials, AssertTrained);
        // Different networks learn differently: one epoch does not leave them all at one accuracy.
        Assert.True(trials.Select(t => t.Value).Distinct().Count() > 1);
        var best = trials.MaxBy(t => t.Value)!;
        Assert.Contains($"best: trial {best.Number}, accuracy ", result.Out, StringComparison.Ordinal);
        foreach (var t in trials) Assert.Contains($"trial {t.Number} {t.Arch}: complete, accuracy ", result.Err, StringComparison.Ordinal);

        // The best network trained again from the file the search gave it: the same accuracies (fixed seeds).
        string archJson = Path.Combine(folder.Path, "digits.db.results", study, $"trial-{best.Number}", "claim-1.0", "arch.json");
        var again = Python.Run(Torch.Python3!, [TrainScript, archJson, "--epochs", "1"]);
        Assert.True(again.Code == 0, again.Err);
        var rerun = JsonDocument.Parse(again.Out.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(Metrics(best).GetProperty("accuracy").GetDouble(), rerun.GetProperty("accuracy").GetDouble());
        Assert.Equal(Metrics(best).GetProperty("test_accuracy").GetDouble(), rerun.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(Metrics(best).GetProperty("params").GetInt64(), rerun.GetProperty("params").GetInt64());
    }

    [TorchTheory]
    [MemberData(nameof(Backends.Shared), MemberType = typeof(Backends))]
    public void The_readme_study_is_trained_by_workers_on_each_shared_storage(string backend)
    {
        using var storage = new TestStorage(backend);
        using var results = new TemporaryFolder();
        string name = storage.NewName();
        var create = With(With(With(ReadmeCommands("study create").Single(), "--storage", storage.Url!), "--budget", "4"), "--strategy", "random");
        create[Array.IndexOf(create, "create") + 1] = name;
        var created = CliRunner.Run(create);
        Assert.True(created.Code == 0, created.Err);

        var worker = With(ReadmeCommands("worker").Single(), "--storage", storage.Url!);
        worker[1] = name;
        var ran = CliRunner.Run([.. worker, "--results", results.Path]);
        Assert.True(ran.Code == 0, ran.Err);
        Assert.Contains("worker: 4 complete, 0 failed", ran.Out, StringComparison.Ordinal);
        var trials = storage.Storage.Trials(name);
        Assert.Equal(4, trials.Count);
        Assert.All(trials, AssertTrained);
        Assert.Equal(4, Directory.GetDirectories(results.Path, "trial-*", SearchOption.AllDirectories).Length);
    }

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        { """{"trial": 1}""", "", "expected an object with a \"decisions\" object" },
        { """{"decisions": {"stages": 3}}""", "", "decision 's1_channels' is missing" },
        { """{"decisions": {"stages": 6}}""", "", "decision 'stages' is 6, expected one of 3, 4, 5" },
        { """{"decisions": {"stages": true}}""", "", "decision 'stages' is true, expected one of 3, 4, 5" },
        { "not json", "", "not JSON" },
        { """{"decisions": {}}""", "--epochs 0", "argument --epochs: 0 is outside 1..1000" },
        { """{"decisions": {}}""", "--epochs 1.5", "argument --epochs: '1.5' is not an integer" },
    };

    /// <summary>Bad input to the training script: one line naming the problem, exit code 2, before PyTorch is loaded.</summary>
    [Theory]
    [MemberData(nameof(BadInputs))]
    public void The_training_script_refuses_bad_input_in_one_line(string json, string options, string expected)
    {
        using var folder = new TemporaryFolder();
        string file = Path.Combine(folder.Path, "arch.json");
        File.WriteAllText(file, json);
        var result = Python.Run(Torch.Python3 ?? "python3", [TrainScript, file, .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Out);
        string line = Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("train.py: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_training_script_names_a_missing_file()
    {
        var result = Python.Run(Torch.Python3 ?? "python3", [TrainScript, "/nonexistent/arch.json"]);
        Assert.Equal(2, result.Code);
        Assert.Equal("train.py: cannot read /nonexistent/arch.json: No such file or directory", result.Err.TrimEnd('\n'));
    }

    [Fact]
    public void Torch_is_found_when_required()
    {
        if (Environment.GetEnvironmentVariable(Torch.RequireVariable) != "1") return;
        Assert.True(Torch.Python3 != null, $"{Torch.RequireVariable}=1 but {Torch.SkipReason}");
    }
}
