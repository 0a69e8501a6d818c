using System.Text.Json.Nodes;
using WeakNas.Benchmarks;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Studies;

/// <summary>
/// Looks trials up in a NAS-Bench-201 table: the study's metric is the search accuracy (x-valid seed mean), and the
/// test accuracy is reported beside it as test_accuracy. An optional delay stands in for training time in tests and demos.
/// </summary>
public sealed class TabularTrialEvaluator(NasBench201Benchmark benchmark, TimeSpan delay = default) : ITrialEvaluator
{
    public string Evaluate(StudySpec study, Trial trial, CancellationToken cancel)
    {
        if (study.Space != NasBench201Provider.Instance.Name || study.Declaration != null) throw new EvaluationException($"the NAS-Bench-201 table cannot evaluate space '{study.Space}'");
        if (delay > TimeSpan.Zero) Task.Delay(delay, cancel).Wait(cancel);
        var space = NasBench201Space.Instance;
        if (trial.ArchIndex is not int index || (uint)index >= (uint)space.Count) throw new EvaluationException($"architecture {trial.Arch} (index {trial.ArchIndex}) is not in NAS-Bench-201");
        double search = benchmark.SearchAccuracy(index), test = benchmark.TestAccuracy(index);
        return new JsonObject { [study.Metric] = search, ["test_accuracy"] = test, ["dataset"] = benchmark.Dataset }.ToJsonString();
    }
}
