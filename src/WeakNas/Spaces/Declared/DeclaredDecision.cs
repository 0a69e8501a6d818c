namespace WeakNas.Spaces.Declared;

/// <summary>
/// A named decision of a declared space: its choices, and the conditions under which it exists (all must hold; each
/// names an earlier decision and the choices of it that switch this one on).
/// </summary>
public sealed record DeclaredDecision(string Name, IReadOnlyList<DeclaredChoice> Choices, IReadOnlyList<DeclaredCondition> When)
{
    /// <summary>The index of the choice that matches <paramref name="value"/>, or -1.</summary>
    public int IndexOf(DeclaredChoice value)
    {
        for (int i = 0; i < Choices.Count; i++) if (Choices[i].Matches(value)) return i;
        return -1;
    }

    /// <summary>The index of the choice a table cell names, or -1.</summary>
    public int IndexOfText(string cell)
    {
        for (int i = 0; i < Choices.Count; i++) if (Choices[i].MatchesText(cell)) return i;
        return -1;
    }
}

/// <summary>This decision exists only when decision <see cref="Decision"/> (an earlier one) has one of <see cref="Choices"/>.</summary>
public sealed record DeclaredCondition(int Decision, IReadOnlyList<int> Choices);
