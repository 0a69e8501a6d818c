using WeakNas.Numerics;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
using WeakNas.Spaces.NasBench201;
using WeakNas.Tests.Spaces.Declared;

namespace WeakNas.Tests.Spaces;

/// <summary>
/// The contract every search space keeps, whatever it is: the text form round-trips, a mutation is one of the
/// architecture's neighbours (one decision away), neighbours are distinct and never the architecture itself, keys are
/// equal for equal architectures, and the encoding has the declared length with the same bits for the same architecture.
/// </summary>
public class SearchSpaceConformanceTests
{
    public static TheoryData<string> Spaces() => new("nb201", "declared-nb201", "declared-stages", "declared-layers", "declared-layers-table", "ofa-mbv3", "ofa-mbv3-resolutions", "darts", "darts-none");

    private static void Check<TArch>(ISearchSpace<TArch> space, bool mutationIsNeighbour) where TArch : notnull, IEquatable<TArch>
    {
        var rng = new Rng(21);
        var a = new float[space.EncodingLength];
        var b = new float[space.EncodingLength];
        for (int i = 0; i < 200; i++)
        {
            var arch = space.Sample(rng);
            Assert.Equal(arch, space.Parse(space.Format(arch)));
            Assert.Equal(space.CanonicalKey(arch), space.CanonicalKey(space.Parse(space.Format(arch))));
            var neighbours = space.Neighbours(arch);
            Assert.Equal(neighbours.Count, neighbours.Distinct().Count());
            Assert.DoesNotContain(arch, neighbours);
            var mutated = space.Mutate(arch, rng);
            Assert.NotEqual(arch, mutated);
            // With conditions a mutation draws the decisions it switches on, a neighbour takes their first choice.
            if (mutationIsNeighbour) Assert.Contains(mutated, neighbours);
            space.Encode(arch, a);
            space.Encode(space.Parse(space.Format(arch)), b);
            Assert.Equal(a, b);
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Every_space_keeps_the_search_space_contract(string name)
    {
        switch (name)
        {
            case "nb201": Check(NasBench201Space.Instance, mutationIsNeighbour: true); break;
            case "declared-nb201": Check(DeclaredSpaces.Nb201, mutationIsNeighbour: true); break;
            case "declared-stages": Check(DeclaredSpaces.Stages, mutationIsNeighbour: false); break;
            case "declared-layers": Check(DeclaredSpaces.Layers, mutationIsNeighbour: true); break;
            case "ofa-mbv3": Check(new WeakNas.Spaces.MobileNetV3.OfaMobileNetV3Space(), mutationIsNeighbour: true); break;
            case "darts": Check(WeakNas.Spaces.Darts.DartsSpace.Instance, mutationIsNeighbour: true); break;
            case "darts-none": Check(WeakNas.Spaces.Darts.DartsSpace.WithNone, mutationIsNeighbour: true); break;
            case "ofa-mbv3-resolutions": Check(new WeakNas.Spaces.MobileNetV3.OfaMobileNetV3Space(1.0, [160, 192, 224]), mutationIsNeighbour: true); break;
            default:
                // A table holding every architecture: its mutations and neighbours are the declared space's.
                var layers = DeclaredSpaces.Layers;
                Check(new TableSpace<DeclaredArchitecture>(layers, layers.Enumerate()), mutationIsNeighbour: true);
                break;
        }
    }
}
