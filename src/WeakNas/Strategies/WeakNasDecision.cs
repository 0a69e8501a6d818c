namespace WeakNas.Strategies;

/// <summary>
/// What one WeakNAS iteration decided, for diagnostics (a bench trace): the candidates ranked by the predictor (by the
/// acquisition score for the EI variant), best first, and the batch split into draws from the predicted top-N and
/// exploration draws from outside it. The arrays belong to the strategy and are valid only during the call.
/// </summary>
/// <param name="Iteration">0-based predictor iteration.</param>
/// <param name="Told">Architectures the predictor was fitted on.</param>
/// <param name="TopN">Size of the predicted top set sampled from (the batch size for the EI variant).</param>
/// <param name="Ranked">Candidate handles, best predicted first (told ones included, where the source lists them).</param>
/// <param name="Exploit">The batch's draws from the predicted top-N.</param>
/// <param name="Explore">The batch's draws from outside it.</param>
public sealed record WeakNasDecision(int Iteration, int Told, int TopN, IReadOnlyList<int> Ranked, IReadOnlyList<int> Exploit, IReadOnlyList<int> Explore);
