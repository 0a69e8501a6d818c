using WeakNas.Experiments;
using WeakNas.Predictors;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
using WeakNas.Strategies;
using WeakNas.Tests.Spaces.Declared;

namespace WeakNas.Tests.Strategies;

/// <summary>
/// Every strategy over a space too large to list (4^30 architectures), through an open catalogue: no strategy needs
/// the space's size, none proposes an architecture twice (by canonical key), and each is rebuilt from seed + history.
/// </summary>
public class OpenSpaceStrategyTests
{
    private const int Layers = DeclaredSpaces.WideLayers;

    private static readonly DeclaredSpace Wide = DeclaredSpaces.Wide;

    private static double Score(DeclaredArchitecture arch) => DeclaredSpaces.WideScore(arch);

    public static TheoryData<string> Names => [.. StrategyFactory.Names];

    private static readonly WeakNasOptions SmallWeakNas = new() { Budget = 100, Predictor = new MlpRegressorOptions { HiddenLayers = [32, 32], MaxEpochs = 20 }, EnsembleSize = 3 };
    private static readonly FreshCandidateOptions SmallFresh = new() { Uniform = 300, Parents = 5, MutationsPerParent = 20 };
    private static readonly BananasOptions SmallBananas = new() { Predictor = new BananasOptions().Predictor with { MaxEpochs = 20 }, EnsembleSize = 3 };

    private static (ISearchStrategy Strategy, ArchitectureCatalogue<DeclaredArchitecture> Catalogue) Create(string name, ISearchSpace<DeclaredArchitecture> space, ulong seed)
    {
        var catalogue = ArchitectureCatalogue<DeclaredArchitecture>.Open(space);
        return (StrategyFactory.Create(name, catalogue, ArchitectureEncoding<DeclaredArchitecture>.Own(space), seed, SmallWeakNas, SmallBananas, SmallFresh), catalogue);
    }

    /// <summary>Runs a search of <paramref name="budget"/> queries; the architectures in the order asked, as text.</summary>
    private static List<string> Run(string name, ISearchSpace<DeclaredArchitecture> space, ulong seed, int budget, Func<DeclaredArchitecture, double> score)
    {
        var (strategy, catalogue) = Create(name, space, seed);
        var asked = new List<string>();
        var keys = new HashSet<string>();
        while (asked.Count < budget)
        {
            var batch = strategy.Ask(budget - asked.Count);
            Assert.NotEmpty(batch);
            foreach (int handle in batch)
            {
                var arch = catalogue[handle];
                Assert.True(keys.Add(space.CanonicalKey(arch)), $"{name} proposed {space.Format(arch)} (or an equivalent) twice");
                asked.Add(space.Format(arch));
                strategy.Tell(handle, score(arch));
            }
        }
        return asked;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Searches_a_space_too_large_to_list_without_repeats_reproducibly_by_seed(string name)
    {
        var a = Run(name, Wide, 3, 40, Score);
        Assert.Equal(40, a.Count);
        Assert.Equal(a, Run(name, Wide, 3, 40, Score));
        Assert.NotEqual(a, Run(name, Wide, 4, 40, Score));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Replaying_the_history_in_a_new_catalogue_rebuilds_the_strategy(string name)
    {
        var (original, catalogue) = Create(name, Wide, 8);
        var history = new List<(DeclaredArchitecture Arch, double Value)>();
        while (history.Count < 35)
        {
            foreach (int h in original.Ask(35 - history.Count))
            {
                original.Tell(h, Score(catalogue[h]));
                history.Add((catalogue[h], Score(catalogue[h])));
            }
        }
        // A new process numbers the architectures in the order it meets them: only the told ones, in the order told.
        var (rebuilt, fresh) = Create(name, Wide, 8);
        foreach (var (arch, value) in history) rebuilt.Tell(fresh.HandleOf(arch), value);
        Assert.Equal(original.Ask(10).Select(h => Wide.Format(catalogue[h])), rebuilt.Ask(10).Select(h => Wide.Format(fresh[h])));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Equivalent_architectures_of_a_conditional_space_are_proposed_once(string name)
    {
        // Stages: blocks beyond a stage's depth are inactive, so many decision vectors are one network.
        var space = DeclaredSpaces.Stages;
        var asked = Run(name, space, 5, 60, a => a.ToArray().Sum());
        Assert.Equal(60, asked.Select(t => space.CanonicalKey(space.Parse(t))).Distinct().Count());
    }

    [Fact]
    public void WeakNas_with_fresh_candidates_beats_random_search_on_a_smooth_objective()
    {
        double Best(string name, ulong seed) => Run(name, Wide, seed, 100, Score).Max(t => Score(Wide.Parse(t)));
        var seeds = Enumerable.Range(0, 5).Select(s => (ulong)s).ToArray();
        double weakNas = seeds.Average(s => Best("weaknas", s));
        double random = seeds.Average(s => Best("random", s));
        Assert.True(weakNas > random + 1, $"WeakNAS best {weakNas:F3} vs random {random:F3} (mean of 5 seeds, 100 queries)");
    }

    [Fact]
    public void Fresh_candidates_are_distinct_untold_and_include_mutations_of_the_best()
    {
        var catalogue = ArchitectureCatalogue<DeclaredArchitecture>.Open(Wide);
        var source = new FreshCandidates<DeclaredArchitecture>(catalogue, ArchitectureEncoding<DeclaredArchitecture>.Own(Wide), SmallFresh);
        var told = source.Initial(10, 1, null).ToList();
        Assert.Equal(10, told.Distinct().Count());
        var accuracies = told.Select(h => (float)Score(catalogue[h])).ToList();
        int best = told[accuracies.IndexOf(accuracies.Max())];
        var set = source.Candidates(new CandidateRequest(told, accuracies, h => !told.Contains(h), 1, (rows, p) => p.Fill(0)));
        var handles = Enumerable.Range(0, set.Count).Select(set.Handle).ToArray();
        Assert.Equal(handles.Length, handles.Distinct().Count());
        Assert.DoesNotContain(handles, told.Contains);
        Assert.True(set.Count > SmallFresh.Uniform, $"{set.Count} candidates: no mutations added");
        Assert.Contains(handles, h => Enumerable.Range(0, Layers).Count(l => catalogue[h][l] != catalogue[best][l]) == 1);
        // Rows are the space's encoding of each candidate.
        var row = new float[Wide.EncodingLength];
        Wide.Encode(catalogue[handles[^1]], row);
        Assert.Equal(row, set.Features.AsSpan((set.Count - 1) * Wide.EncodingLength, Wide.EncodingLength).ToArray());
    }
}
