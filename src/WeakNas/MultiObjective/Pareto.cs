namespace WeakNas.MultiObjective;

/// <summary>
/// Pareto dominance, non-dominated sorting and crowding distance, for points whose every objective is minimised
/// (a maximised objective enters negated or mirrored, see <see cref="MultiObjectiveProblem.Point"/>).
/// </summary>
public static class Pareto
{
    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> in every objective and better in one.</summary>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"points of {a.Length} and {b.Length} objectives cannot be compared");
        bool better = false;
        for (int k = 0; k < a.Length; k++)
        {
            if (a[k] > b[k]) return false;
            if (a[k] < b[k]) better = true;
        }
        return better;
    }

    /// <summary>Positions of the non-dominated points (equal points are all kept), ascending.</summary>
    public static int[] NonDominated(IReadOnlyList<double[]> points) => points.Count == 0 ? [] : Sort(points, layers => layers.Count >= 1)[0];

    /// <summary>
    /// Non-dominated sorting: layer 0 holds the non-dominated points, layer 1 those non-dominated once layer 0 is removed,
    /// and so on; each layer lists positions ascending. Layers are peeled one at a time and the peeling stops early once
    /// <paramref name="enough"/> says the layers so far suffice (null: sort every point).
    /// </summary>
    /// <remarks>
    /// Points are visited in lexicographic order. A point that dominates another comes before it in that order, and
    /// dominance is transitive, so a point belongs to the current layer exactly when no point already accepted into the
    /// layer dominates it: one pass per layer costs O(n × layer size), far below the O(n²) of comparing all pairs when
    /// only the first layers of a large set are needed.
    /// </remarks>
    public static List<int[]> Sort(IReadOnlyList<double[]> points, Func<IReadOnlyList<int[]>, bool>? enough = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        int dimensions = points.Count == 0 ? 0 : points[0].Length;
        foreach (var p in points)
        {
            if (p.Length != dimensions) throw new ArgumentException($"points of {dimensions} and {p.Length} objectives mixed", nameof(points));
            if (p.Any(double.IsNaN)) throw new ArgumentException("a point has a NaN objective", nameof(points));
        }
        var order = Enumerable.Range(0, points.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            for (int k = 0; k < dimensions; k++)
            {
                int c = points[a][k].CompareTo(points[b][k]);
                if (c != 0) return c;
            }
            return a.CompareTo(b);
        });

        var layers = new List<int[]>();
        var remaining = new List<int>(order);
        while (remaining.Count > 0 && (enough == null || !enough(layers)))
        {
            var layer = new List<int>();
            var next = new List<int>(remaining.Count);
            foreach (int i in remaining)
            {
                bool dominated = false;
                foreach (int j in layer)
                {
                    if (Dominates(points[j], points[i])) { dominated = true; break; }
                }
                (dominated ? next : layer).Add(i);
            }
            layer.Sort();
            layers.Add([.. layer]);
            remaining = next;
        }
        return layers;
    }

    /// <summary>Each point's layer (0 for the non-dominated ones), as <see cref="Sort"/> assigns them.</summary>
    public static int[] Ranks(IReadOnlyList<double[]> points)
    {
        var ranks = new int[points.Count];
        var layers = Sort(points);
        for (int r = 0; r < layers.Count; r++) foreach (int i in layers[r]) ranks[i] = r;
        return ranks;
    }

    /// <summary>
    /// NSGA-II's crowding distance of each member of <paramref name="members"/> (positions in <paramref name="points"/>,
    /// usually one layer) within that set: per objective, the two extreme members get infinity and every other member the
    /// gap between its neighbours divided by the objective's range; the sum over objectives. An objective on which all
    /// members are equal adds nothing. Result i belongs to members[i].
    /// </summary>
    public static double[] CrowdingDistance(IReadOnlyList<double[]> points, IReadOnlyList<int> members)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(members);
        var distance = new double[members.Count];
        if (members.Count == 0) return distance;
        int dimensions = points[members[0]].Length;
        var order = new int[members.Count];
        for (int k = 0; k < dimensions; k++)
        {
            for (int i = 0; i < order.Length; i++) order[i] = i;
            // Ties by position, so equal values get a deterministic (and documented) order.
            Array.Sort(order, (a, b) =>
            {
                int c = points[members[a]][k].CompareTo(points[members[b]][k]);
                return c != 0 ? c : a.CompareTo(b);
            });
            double low = points[members[order[0]]][k], high = points[members[order[^1]]][k];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            if (!(high > low)) continue;
            for (int i = 1; i < order.Length - 1; i++)
                distance[order[i]] += (points[members[order[i + 1]]][k] - points[members[order[i - 1]]][k]) / (high - low);
        }
        return distance;
    }
}
