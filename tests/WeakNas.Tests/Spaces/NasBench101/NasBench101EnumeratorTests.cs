using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

public class NasBench101EnumeratorTests
{
    private const string BestTestHash = "02e5a0247bbdcf2860b7e96f74961594";

    [Fact]
    public void The_whole_space_has_423624_unique_cells_including_the_best_one()
    {
        var space = EnumeratedSpace.Value;
        Assert.Equal(423_624, space.Count);
        Assert.True(space.IsComplete);
        Assert.Equal(space.Count, Enumerable.Range(0, space.Count).Select(space.HashAt).Distinct().Count());
        Assert.True(space.TryGetIndex(NasBench101Hash.Parse(BestTestHash), out int best));
        Assert.Equal(BestTestHash, space.CanonicalKey(space[best]));
        for (int i = 0; i < space.Count; i += 997)
        {
            Assert.True(NasBench101Cell.IsValidCode(space[i].Code, out string? problem), problem);
            Assert.Equal(space.HashAt(i), NasBench101Hash.Of(space[i]));
        }
    }

    [Fact]
    public void Cells_come_in_the_official_walk_order_smallest_first()
    {
        var space = EnumeratedSpace.Value;
        Assert.Equal(default, space[0]);
        for (int i = 1; i < space.Count; i += 101)
        {
            var (previous, current) = (space[i - 1], space[i]);
            Assert.True(previous.VertexCount < current.VertexCount
                || (previous.VertexCount == current.VertexCount && previous.AdjacencyBits <= current.AdjacencyBits));
        }
        var counts = Enumerable.Range(0, space.Count).GroupBy(i => space[i].VertexCount).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.Equal(6, counts.Length);
        Assert.Equal(1, counts[0]);
    }

    [Fact]
    public void Its_cells_are_the_benchmarks_own_representatives()
    {
        // The official data stores the first graph of each hash that generate_graphs.py meets; so does the enumerator.
        var space = EnumeratedSpace.Value;
        foreach (var cell in NasBench101Files.ApiCells())
            Assert.Equal(NasBench101Cell.Create(cell.Matrix, cell.Ops), space[space.IndexOf(NasBench101Hash.Parse(cell.Hash))]);
        foreach (var row in NasBench101Files.SampleRows())
            Assert.Equal(NasBench101Cell.Create(row.Matrix, row.Labels.Select(l => (NasBench101Op)l).ToArray()), space[space.IndexOf(NasBench101Hash.Parse(row.Key))]);
    }
}
