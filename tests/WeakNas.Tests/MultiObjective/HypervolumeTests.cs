using WeakNas.MultiObjective;
using WeakNas.Numerics;

namespace WeakNas.Tests.MultiObjective;

public class HypervolumeTests
{
    private static double Hv(double[] reference, params double[][] points) => Hypervolume.Of(points, reference);

    [Fact]
    public void Two_dimensional_staircase_by_hand()
    {
        // Boxes from (1,3), (2,2), (3,1) to (4,4): of the 3x3 unit squares, the three touching the lower-left corner
        // below the staircase are not dominated, so 9 - 3 = 6.
        Assert.Equal(6, Hv([4, 4], [1, 3], [2, 2], [3, 1]), 12);
    }

    [Fact]
    public void Dominated_points_and_duplicates_add_nothing()
    {
        Assert.Equal(6, Hv([4, 4], [1, 3], [2, 2], [3, 1], [3, 3], [2, 2], [3.5, 1], [1, 3]), 12);
    }

    [Fact]
    public void Points_outside_the_reference_box_or_on_its_boundary_add_nothing()
    {
        Assert.Equal(6, Hv([4, 4], [1, 3], [2, 2], [3, 1], [5, 0], [0, 4], [-1, 7]), 12);
        Assert.Equal(0, Hv([4, 4], [4, 4], [5, 5]), 12);
        Assert.Equal(0, Hv([4, 4]), 12);
    }

    [Fact]
    public void A_point_beyond_the_front_adds_only_its_own_corner()
    {
        // (0.5, 3.5) adds the strip x in [0.5, 1), y in [3.5, 4): 0.5 x 0.5.
        Assert.Equal(6.25, Hv([4, 4], [1, 3], [2, 2], [3, 1], [0.5, 3.5]), 12);
    }

    [Fact]
    public void One_dimension_is_the_distance_to_the_reference()
    {
        Assert.Equal(2.5, Hv([3], [1.5], [0.5], [2]), 12);
    }

    [Fact]
    public void Three_dimensional_fronts_by_hand()
    {
        Assert.Equal(6, Hv([1, 2, 3], [0, 0, 0]), 12);
        // Two boxes of 4 and 2 overlapping in [1,2]^3: 4 + 2 - 1.
        Assert.Equal(5, Hv([2, 2, 2], [0, 0, 1], [1, 1, 0]), 12);
        // The three unit corners of [0,2]^3: only x, y, z < 1 is left undominated, 8 - 1.
        Assert.Equal(7, Hv([2, 2, 2], [1, 0, 0], [0, 1, 0], [0, 0, 1]), 12);
    }

    [Fact]
    public void Three_dimensional_dominated_duplicate_and_outside_points_add_nothing()
    {
        Assert.Equal(5, Hv([2, 2, 2], [0, 0, 1], [1, 1, 0], [1, 1, 1], [1, 1, 0], [3, 0, 0], [0, 0, 2], [0, -1, 2.5]), 12);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(2, 4)]
    public void Agrees_with_inclusion_exclusion_on_random_small_sets(int dimensions, ulong seed)
    {
        var rng = new Rng(seed);
        for (int trial = 0; trial < 30; trial++)
        {
            int n = 1 + rng.NextInt(7);
            // Coarse grid values make ties and duplicates common; some points fall outside the box.
            var points = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dimensions).Select(_ => rng.NextInt(6) * 0.25).ToArray()).ToArray();
            var reference = Enumerable.Repeat(1.1, dimensions).ToArray();
            Assert.Equal(InclusionExclusion(points, reference), Hypervolume.Of(points, reference), 10);
        }
    }

    /// <summary>The union of the boxes [p, r] as the alternating sum over subsets of the volume of their intersection.</summary>
    private static double InclusionExclusion(double[][] points, double[] reference)
    {
        double total = 0;
        for (int mask = 1; mask < 1 << points.Length; mask++)
        {
            double volume = 1;
            for (int k = 0; k < reference.Length; k++)
            {
                double corner = double.NegativeInfinity;
                for (int i = 0; i < points.Length; i++) if ((mask >> i & 1) == 1) corner = Math.Max(corner, points[i][k]);
                volume *= Math.Max(0, reference[k] - corner);
            }
            total += (System.Numerics.BitOperations.PopCount((uint)mask) % 2 == 1 ? 1 : -1) * volume;
        }
        return total;
    }

    [Fact]
    public void Mismatched_dimensions_are_an_error()
    {
        Assert.Throws<ArgumentException>(() => Hv([1, 1], [0, 0, 0]));
        Assert.Throws<ArgumentException>(() => Hv([1, double.PositiveInfinity], [0, 0]));
    }
}
