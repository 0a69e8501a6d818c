using WeakNas.MultiObjective;

namespace WeakNas.Tests.MultiObjective;

public class ParetoTests
{
    [Theory]
    [InlineData(new double[] { 1, 2 }, new double[] { 2, 2 }, true)]
    [InlineData(new double[] { 1, 1 }, new double[] { 2, 2 }, true)]
    [InlineData(new double[] { 2, 2 }, new double[] { 2, 2 }, false)]
    [InlineData(new double[] { 1, 3 }, new double[] { 2, 2 }, false)]
    [InlineData(new double[] { 2, 2 }, new double[] { 1, 2 }, false)]
    [InlineData(new double[] { 0, 0, 1 }, new double[] { 0, 0, 2 }, true)]
    public void Dominance(double[] a, double[] b, bool expected) => Assert.Equal(expected, Pareto.Dominates(a, b));

    // 0 (1,5), 1 (2,3), 2 (4,1), 3 (3,4), 4 (5,5), 5 (2,3) again, 6 (4,2).
    private static readonly double[][] Points = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 3], [4, 2]];

    [Fact]
    public void Non_dominated_sorting_by_hand()
    {
        var layers = Pareto.Sort(Points);
        // Equal points share a layer; (3,4) falls behind (2,3), (4,2) behind (4,1), (5,5) behind both of those.
        Assert.Equal(3, layers.Count);
        Assert.Equal([0, 1, 2, 5], layers[0]);
        Assert.Equal([3, 6], layers[1]);
        Assert.Equal([4], layers[2]);
        Assert.Equal([0, 0, 0, 1, 2, 0, 1], Pareto.Ranks(Points));
        Assert.Equal([0, 1, 2, 5], Pareto.NonDominated(Points));
    }

    [Fact]
    public void Sorting_stops_once_the_layers_are_enough()
    {
        Assert.Single(Pareto.Sort(Points, layers => layers.Count >= 1));
        Assert.Equal(2, Pareto.Sort(Points, layers => layers.Sum(l => l.Length) >= 5).Count);
        Assert.Empty(Pareto.NonDominated([]));
    }

    [Fact]
    public void Each_layer_is_non_dominated_and_every_later_point_is_dominated_by_an_earlier_layer()
    {
        var rng = new WeakNas.Numerics.Rng(7);
        var points = Enumerable.Range(0, 200).Select(_ => new[] { rng.NextInt(20) * 1.0, rng.NextInt(20) * 1.0, rng.NextInt(20) * 1.0 }).ToArray();
        var layers = Pareto.Sort(points);
        Assert.Equal(Enumerable.Range(0, 200), layers.SelectMany(l => l).Order());
        for (int r = 0; r < layers.Count; r++)
        {
            foreach (int i in layers[r])
            {
                Assert.DoesNotContain(layers[r], j => Pareto.Dominates(points[j], points[i]));
                if (r > 0) Assert.Contains(layers[r - 1], j => Pareto.Dominates(points[j], points[i]));
                foreach (var later in layers.Skip(r + 1)) Assert.DoesNotContain(later, j => Pareto.Dominates(points[j], points[i]));
            }
        }
    }

    [Fact]
    public void Crowding_distance_by_hand()
    {
        // A (0,5), B (1,2), C (2,1), D (4,0). Objective 0 (range 4): B gets (2-0)/4, C (4-1)/4; objective 1 (range 5):
        // C gets (2-0)/5, B (5-1)/5. The ends are infinite.
        double[][] points = [[0, 5], [1, 2], [2, 1], [4, 0], [9, 9]];
        var distance = Pareto.CrowdingDistance(points, [3, 1, 0, 2]);
        Assert.Equal(double.PositiveInfinity, distance[0]);
        Assert.Equal(0.5 + 0.8, distance[1], 12);
        Assert.Equal(double.PositiveInfinity, distance[2]);
        Assert.Equal(0.75 + 0.4, distance[3], 12);
    }

    [Fact]
    public void Crowding_distance_of_an_objective_without_range_adds_nothing()
    {
        double[][] points = [[1, 1], [1, 2], [1, 4]];
        var distance = Pareto.CrowdingDistance(points, [0, 1, 2]);
        Assert.Equal(double.PositiveInfinity, distance[0]);
        Assert.Equal((4 - 1) / 3.0, distance[1], 12);
        Assert.Equal(double.PositiveInfinity, distance[2]);
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], Pareto.CrowdingDistance(points, [0, 2]));
    }
}
