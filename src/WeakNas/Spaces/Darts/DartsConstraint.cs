using System.Globalization;
using WeakNas.Hardware;

namespace WeakNas.Spaces.Darts;

/// <summary>
/// Parameter constraints a DARTS study applies itself, as <c>params&lt;=X</c> (millions of parameters of the genotype's
/// CIFAR-10 evaluation network, <see cref="DartsParameters"/>; <c>&lt;</c>, <c>&gt;=</c>, <c>&gt;</c> too), absolute
/// bounds only: the space searched is the feasible part of the space (<see cref="ConstrainedSpace{TArch}"/>), so every
/// strategy proposes only feasible genotypes, in a pool drawn from it or as fresh candidates.
/// </summary>
public static class DartsConstraint
{
    /// <summary>The constraints parsed and checked: <c>params</c> only, absolute bounds; an <see cref="InvalidInputException"/> otherwise.</summary>
    public static ConstraintSet Parse(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new InvalidInputException("a darts constraint holds no constraints");
        var set = ConstraintSet.Parse(texts)!;
        foreach (var c in set.Items)
        {
            if (c.Metric != ArchitectureMetrics.Params)
                throw new InvalidInputException($"--constraint {c.Text}: a darts space constrains params only (millions of parameters of DARTS's CIFAR-10 network), e.g. 'params<=3.5'");
            if (c.Percentile != null)
                throw new InvalidInputException($"--constraint {c.Text}: give darts an absolute bound in millions, e.g. 'params<=3.5' (a percentile needs a table)");
        }
        return set;
    }

    /// <summary>The constraints as a study stores them: checked (<see cref="Parse"/>), in canonical text.</summary>
    public static string[] Texts(IReadOnlyList<string> texts) => [.. Parse(texts).Items.Select(c => c.Text)];

    /// <summary>Whether the genotype's CIFAR-10 network meets every constraint.</summary>
    public static Func<DartsGenotype, bool> Feasible(ConstraintSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return g =>
        {
            double millions = DartsParameters.Count(g, DartsParameters.Network.Cifar10) / 1e6;
            return set.Items.All(c => c.Admits(millions, c.Value!.Value));
        };
    }

    /// <summary>The feasible part of <paramref name="space"/>.</summary>
    public static ConstrainedSpace<DartsGenotype> Apply(DartsSpace space, ConstraintSet set)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(set);
        return new ConstrainedSpace<DartsGenotype>(space, Feasible(set), string.Create(CultureInfo.InvariantCulture, $"{set.Label} (millions of parameters, CIFAR-10 network)"));
    }
}
