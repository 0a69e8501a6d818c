namespace WeakNas.Strategies;

/// <summary>How WeakNAS picks the next batch from its predictions.</summary>
public enum WeakNasSampling
{
    /// <summary>Uniformly from the unevaluated members of the predicted top-N.</summary>
    Uniform,
    /// <summary>Greedily by expected improvement of an ensemble over the whole space.</summary>
    ExpectedImprovement,
}
