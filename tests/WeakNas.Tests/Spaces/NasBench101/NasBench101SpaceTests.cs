using WeakNas.Numerics;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

public class NasBench101SpaceTests
{
    private static NasBench101Space Space => EnumeratedSpace.Value;

    [Fact]
    public void Sampling_gives_valid_listed_cells_and_the_same_seed_gives_the_same_cells()
    {
        var rng = new Rng(11);
        var a = Enumerable.Range(0, 200).Select(_ => Space.Sample(rng)).ToArray();
        rng = new Rng(11);
        var b = Enumerable.Range(0, 200).Select(_ => Space.Sample(rng)).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, Enumerable.Range(0, 200).Select(_ => Space.Sample(new Rng(12))).ToArray());
        foreach (var cell in a)
        {
            Assert.True(NasBench101Cell.IsValidCode(cell.Code, out _));
            Assert.Equal(cell, Space[Space.IndexOf(cell)]);
        }
        // The official sampler repeats small cells often (see below), but most draws differ.
        Assert.True(a.Distinct().Count() > 80);
    }

    [Fact]
    public void The_official_sampler_reaches_every_size_but_favours_small_cells()
    {
        // A random 7×7 matrix has 10.5 edges on average; only matrices that prune to at most 9 edges are
        // kept, so pruned, small cells dominate: this is the official random_spec's known bias.
        var rng = new Rng(5);
        var sizes = Enumerable.Range(0, 5000).Select(_ => NasBench101Sampling.RandomCell(rng).VertexCount).ToArray();
        Assert.Equal([2, 3, 4, 5, 6, 7], sizes.Distinct().Order());
        Assert.True(sizes.Count(s => s == 7) < sizes.Count(s => s == 2));
        Assert.True(sizes.Count(s => s <= 5) > sizes.Length / 2);
    }

    [Fact]
    public void Mutation_gives_a_valid_different_architecture_reproducibly()
    {
        var rng = new Rng(3);
        var parents = Enumerable.Range(0, 100).Select(_ => Space.Sample(rng)).ToArray();
        var children = parents.Select(p => Space.Mutate(p, new Rng((ulong)p.Code))).ToArray();
        for (int i = 0; i < parents.Length; i++)
        {
            Assert.NotEqual(Space.CanonicalKey(parents[i]), Space.CanonicalKey(children[i]));
            Assert.True(NasBench101Cell.IsValidCode(children[i].Code, out _));
            Assert.Equal(children[i], Space[Space.IndexOf(children[i])]);
            Assert.Equal(children[i], Space.Mutate(parents[i], new Rng((ulong)parents[i].Code)));
        }
        // The smallest cell has few mutations (it may only grow), but they exist.
        Assert.NotEqual(NasBench101Hash.Of(default), NasBench101Hash.Of(Space.Mutate(default, new Rng(1))));
    }

    [Fact]
    public void Higher_mutation_rates_change_more()
    {
        var parent = Space[Space.IndexOf(NasBench101Hash.Parse("02e5a0247bbdcf2860b7e96f74961594"))];
        var parentEncoding = new float[56];
        Space.Encode(parent, parentEncoding);
        double Distance(double rate)
        {
            var rng = new Rng(9);
            var child = new float[56];
            double total = 0;
            for (int i = 0; i < 200; i++)
            {
                Space.Encode(Space.Mutate(parent, rng, rate), child);
                for (int k = 0; k < 56; k++) total += Math.Abs(child[k] - parentEncoding[k]);
            }
            return total;
        }
        Assert.True(Distance(3.0) > Distance(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Space.Mutate(parent, new Rng(1), 0));
    }

    [Fact]
    public void Neighbours_are_distinct_listed_architectures_one_change_away()
    {
        var cell = Space[Space.IndexOf(NasBench101Hash.Parse("02e5a0247bbdcf2860b7e96f74961594"))];
        var neighbours = Space.Neighbours(cell);
        Assert.NotEmpty(neighbours);
        var keys = neighbours.Select(Space.CanonicalKey).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.DoesNotContain(Space.CanonicalKey(cell), keys);
        // 5 ops × 2 alternatives are always possible for a 7-vertex cell.
        Assert.True(neighbours.Count >= 2 * (cell.VertexCount - 2));
        Assert.Equal(neighbours, Space.Neighbours(cell));
    }

    [Fact]
    public void Any_numbering_of_a_listed_architecture_finds_its_index()
    {
        var a = NasBench101Cell.Parse("0110000100010000:input,conv3x3-bn-relu,maxpool3x3,output");
        var b = NasBench101Cell.Parse("0110000100010000:input,maxpool3x3,conv3x3-bn-relu,output");
        Assert.Equal(Space.IndexOf(a), Space.IndexOf(b));
        Assert.Equal(Space.CanonicalKey(a), Space.CanonicalKey(b));
        Assert.Equal(NasBench101Hash.Of(a).ToString(), Space.CanonicalKey(a));
    }

    [Fact]
    public void Format_and_parse_round_trip()
    {
        for (int i = 0; i < Space.Count; i += 211)
        {
            string text = Space.Format(Space[i]);
            Assert.Equal(Space[i], Space.Parse(text));
        }
    }

    [Fact]
    public void A_partial_space_samples_mutates_and_neighbours_only_inside_its_list()
    {
        var rng = new Rng(2);
        var listed = Enumerable.Range(0, 40).Select(_ => Space.Sample(rng)).DistinctBy(NasBench101Hash.Of).ToArray();
        var partial = NasBench101Space.FromCells(listed);
        Assert.False(partial.IsComplete);
        Assert.Equal(listed.Length, partial.Count);
        var draw = new Rng(4);
        for (int i = 0; i < 50; i++)
        {
            var sampled = partial.Sample(draw);
            Assert.Contains(sampled, listed);
            var mutated = partial.Mutate(sampled, draw);
            Assert.Contains(mutated, listed);
            Assert.NotEqual(sampled, mutated);
        }
        foreach (var neighbour in partial.Neighbours(listed[0])) Assert.Contains(neighbour, listed);
        var listedKeys = listed.Select(NasBench101Hash.Of).ToHashSet();
        var outsider = Enumerable.Range(0, 100).Select(i => Space[i * 4000]).First(c => !listedKeys.Contains(NasBench101Hash.Of(c)));
        Assert.False(partial.Contains(outsider));
        var e = Assert.Throws<ArgumentException>(() => NasBench101Space.FromCells([listed[0], listed[0]]));
        Assert.Contains("same architecture", e.Message);
    }

    [Fact]
    public void An_unlisted_cell_has_no_index()
    {
        var partial = NasBench101Space.FromCells([default(NasBench101Cell)]);
        var other = NasBench101Cell.Parse("010001000:input,conv1x1-bn-relu,output");
        Assert.False(partial.TryGetIndex(other, out _));
        var e = Assert.Throws<ArgumentException>(() => partial.IndexOf(other));
        Assert.Contains("is not among the 1 cells", e.Message);
        Assert.Throws<InvalidOperationException>(() => partial.Mutate(default, new Rng(1)));
    }
}
