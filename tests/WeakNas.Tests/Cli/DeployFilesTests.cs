using System.Diagnostics;
using WeakNas.Cli;
using YamlDotNet.RepresentationModel;

namespace WeakNas.Tests.Cli;

/// <summary>deploy/: the Kubernetes manifest parses and holds together, the Slurm script is valid shell, and both run a worker line this weaknas accepts.</summary>
public class DeployFilesTests
{
    private static string Deploy(string file) => Path.Combine(TestData.RepositoryRoot, "deploy", file);

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static string Text(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    /// <summary>A worker command line parses without errors in this weaknas (the options exist, the numbers are in range).</summary>
    private static void AssertWorkerLineParses(IReadOnlyList<string> args)
    {
        Assert.Equal("worker", args[0]);
        var parse = WeakNasCli.Root(TextWriter.Null, TextWriter.Null).Parse([.. args, "--storage", "postgresql://u@h/db"]);
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void The_Kubernetes_job_refers_to_its_secret_and_volume_stops_on_a_paused_study_and_runs_a_valid_worker_line()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Deploy("kubernetes/weaknas-workers.yaml"))) stream.Load(reader);
        var docs = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        Assert.Equal(["Secret", "PersistentVolumeClaim", "Job"], docs.Select(d => Text(d, "kind")));
        var (secret, claim, job) = (docs[0], docs[1], docs[2]);
        Assert.StartsWith("postgresql://", Text(Map(secret, "stringData"), "url"), StringComparison.Ordinal);
        Assert.Contains("ReadWriteMany", ((YamlSequenceNode)Map(claim, "spec")["accessModes"]).Select(n => ((YamlScalarNode)n).Value));

        var spec = Map(job, "spec");
        Assert.Equal("16", Text(spec, "parallelism"));
        var rule = (YamlMappingNode)((YamlSequenceNode)Map(spec, "podFailurePolicy")["rules"])[0];
        Assert.Equal("FailJob", Text(rule, "action"));
        Assert.Equal(["3"], ((YamlSequenceNode)Map(rule, "onExitCodes")["values"]).Select(n => ((YamlScalarNode)n).Value));

        var pod = Map(Map(spec, "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"])[0];
        Assert.Equal(Text(container, "name"), Text(Map(rule, "onExitCodes"), "containerName"));
        var env = (YamlMappingNode)((YamlSequenceNode)container["env"]).Single(e => Text(e, "name") == "WEAKNAS_STORAGE");
        var secretRef = Map(Map(env, "valueFrom"), "secretKeyRef");
        Assert.Equal(Text(Map(secret, "metadata"), "name"), Text(secretRef, "name"));
        Assert.True(Map(secret, "stringData").Children.ContainsKey(Text(secretRef, "key")));

        var volume = (YamlMappingNode)((YamlSequenceNode)pod["volumes"])[0];
        Assert.Equal(Text(Map(claim, "metadata"), "name"), Text(Map(volume, "persistentVolumeClaim"), "claimName"));
        var mount = (YamlMappingNode)((YamlSequenceNode)container["volumeMounts"])[0];
        Assert.Equal(Text(volume, "name"), Text(mount, "name"));

        var args = ((YamlSequenceNode)container["args"]).Select(n => ((YamlScalarNode)n).Value!).ToList();
        Assert.StartsWith(Text(mount, "mountPath") + "/", args[args.IndexOf("--results") + 1], StringComparison.Ordinal);
        Assert.Equal(["weaknas"], ((YamlSequenceNode)container["command"]).Select(n => ((YamlScalarNode)n).Value));
        AssertWorkerLineParses(args);
    }

    [Fact]
    public void The_Slurm_script_is_valid_shell_an_array_and_runs_a_valid_worker_line()
    {
        string script = Deploy("slurm/weaknas-workers.sbatch");
        var bash = Process.Start(new ProcessStartInfo("bash", ["-n", script]) { RedirectStandardError = true })!;
        string err = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, err);
        string text = File.ReadAllText(script);
        Assert.Matches(@"(?m)^#SBATCH --array=0-\d+$", text);
        Assert.Contains("--results \"$RESULTS\"", text, StringComparison.Ordinal);
        // The worker line with its variables filled in as a user would.
        AssertWorkerLineParses(["worker", "cifar-search", "--results", "/shared/results", "--evaluate", "python3 train.py {arch_json_file}", "--timeout", "7200", "--retries", "1", "--max-failures", "5"]);
        Assert.Contains("--timeout 7200 --retries 1 --max-failures 5", text, StringComparison.Ordinal);
    }
}
