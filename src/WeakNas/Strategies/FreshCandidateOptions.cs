namespace WeakNas.Strategies;

/// <summary>
/// How many fresh candidates WeakNAS ranks per iteration in a space too large to list: uniform samples, mutations of
/// the best architectures evaluated, then mutations of the best the predictor ranks among those.
/// </summary>
public sealed record FreshCandidateOptions
{
    /// <summary>Uniform samples per iteration.</summary>
    public int Uniform { get; init; } = 2000;

    /// <summary>How many of the best evaluated (and then of the best predicted) architectures are mutated.</summary>
    public int Parents { get; init; } = 20;

    /// <summary>Mutations made of each parent.</summary>
    public int MutationsPerParent { get; init; } = 50;

    /// <summary>A mutation changes 1 to this many decisions (cycling through the counts).</summary>
    public int MaxEdits { get; init; } = 2;

    /// <summary>The most candidates drawn in all per iteration, for checking option ranges.</summary>
    public const int MaxCandidates = 1_000_000;

    public int Total => Uniform + 2 * Parents * MutationsPerParent;

    public void Validate()
    {
        if (Uniform is < 0 or > MaxCandidates) throw new InvalidInputException($"fresh uniform candidates must be 0 to {MaxCandidates:N0}, got {Uniform}");
        if (Parents is < 0 or > 10_000) throw new InvalidInputException($"fresh candidate parents must be 0 to 10,000, got {Parents}");
        if (MutationsPerParent is < 0 or > 10_000) throw new InvalidInputException($"mutations per parent must be 0 to 10,000, got {MutationsPerParent}");
        if (MaxEdits is < 1 or > 100) throw new InvalidInputException($"edits per mutation must be 1 to 100, got {MaxEdits}");
        if (Total is <= 0 or > MaxCandidates) throw new InvalidInputException($"fresh candidates per iteration must be 1 to {MaxCandidates:N0}, got {Total}");
    }
}
