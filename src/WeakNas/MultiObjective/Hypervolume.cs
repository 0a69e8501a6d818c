namespace WeakNas.MultiObjective;

/// <summary>
/// The exact hypervolume of a point set: the volume of the region its points dominate and the reference point bounds,
/// every objective minimised. Only points strictly better than the reference in every objective add volume; dominated
/// points and duplicates change nothing.
/// </summary>
public static class Hypervolume
{
    /// <remarks>
    /// Two objectives: a sweep in order of the first objective, adding one slab per point that lowers the second (O(n log n)).
    /// More: slicing along the last objective (HSO, "hypervolume by slicing objectives"): between consecutive values of the last
    /// objective the cross-section is the (d−1)-dimensional hypervolume of the points at or below the slice, computed the same
    /// way; O(n^(d−1) log n), exact, and quick for the small fronts of a search.
    /// </remarks>
    public static double Of(IReadOnlyList<double[]> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        int d = reference.Count;
        if (d == 0) throw new ArgumentException("the reference point has no objectives", nameof(reference));
        if (reference.Any(r => !double.IsFinite(r))) throw new ArgumentException("the reference point must be finite", nameof(reference));
        var inside = new List<double[]>(points.Count);
        foreach (var p in points)
        {
            if (p.Length != d) throw new ArgumentException($"a point has {p.Length} objectives, the reference point {d}", nameof(points));
            if (p.Any(double.IsNaN)) throw new ArgumentException("a point has a NaN objective", nameof(points));
            bool below = true;
            for (int k = 0; k < d && below; k++) below = p[k] < reference[k];
            if (below) inside.Add(p);
        }
        return Volume(inside, reference, d);
    }

    /// <summary>The hypervolume in the first <paramref name="d"/> objectives of points all below the reference there.</summary>
    private static double Volume(List<double[]> points, IReadOnlyList<double> reference, int d)
    {
        if (points.Count == 0) return 0;
        if (d == 1) return reference[0] - points.Min(p => p[0]);
        if (d == 2)
        {
            var sorted = points.OrderBy(p => p[0]).ThenBy(p => p[1]).ToList();
            double area = 0, lowest = reference[1];
            foreach (var p in sorted)
            {
                if (p[1] >= lowest) continue;
                area += (reference[0] - p[0]) * (lowest - p[1]);
                lowest = p[1];
            }
            return area;
        }
        int last = d - 1;
        var byLast = points.OrderBy(p => p[last]).ToList();
        double volume = 0;
        var slice = new List<double[]>(byLast.Count);
        for (int i = 0; i < byLast.Count; i++)
        {
            slice.Add(byLast[i]);
            double top = i + 1 < byLast.Count ? byLast[i + 1][last] : reference[last];
            double depth = top - byLast[i][last];
            if (depth > 0) volume += depth * Volume(slice, reference, last);
        }
        return volume;
    }
}
