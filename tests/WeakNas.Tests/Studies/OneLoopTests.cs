using WeakNas.Experiments;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>
/// The two ways one search runs, side by side: <c>search</c>/<c>bench</c>'s in-process loop (table lookups, which cannot
/// fail) and a study's loop (storage, workers, an evaluator that may fail or take hours), here with table lookup as its
/// evaluator. For every strategy and seed they evaluate the same architectures in the same order.
/// </summary>
public class OneLoopTests
{
    public static TheoryData<string> Strategies => [.. StrategyFactory.Names];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_study_with_table_lookup_evaluates_what_search_evaluates(string strategy)
    {
        const int Budget = 45;
        var settings = new WeakNasStudySettings { Hidden = [32, 32], Epochs = 10 };
        var spec = new StudySpec { Name = "loop", Space = "nb201", Strategy = strategy, Seed = 21, Budget = Budget, WeakNas = settings };
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, spec);
        var report = new StudyWorker(study, new TabularTrialEvaluator(StudyFixtures.Cifar10), "solo", StudyFixtures.FastPolling()).Run();
        Assert.Equal(new WorkerReport(Budget, 0, 0), report);

        var options = settings.ToOptions("nb201", Budget);
        var searched = SearchRunner.Run(StudyFixtures.Cifar10,
            StrategyFactory.Create(strategy, StudyFixtures.Cifar10.Space, NasBench201Setup.Encodings, 21, options), Budget, 21);
        Assert.Equal(searched.Queries.Select(q => q.Index), study.Trials().Select(t => t.ArchIndex!.Value));
        Assert.Equal(searched.Queries.Select(q => q.SearchAccuracy), study.Trials().Select(t => t.Value!.Value));
    }
}
