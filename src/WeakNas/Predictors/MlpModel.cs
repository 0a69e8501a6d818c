namespace WeakNas.Predictors;

/// <summary>
/// A fitted <see cref="MlpRegressor"/>. Prediction streams the rows in blocks that keep the activations
/// in cache and reuses its scratch buffers, so one model must not predict from two threads at once.
/// </summary>
public sealed class MlpModel : IRegressionModel
{
    private const int BlockRows = 1024;
    private readonly MlpNetwork _network;
    private readonly float _labelMean;
    private readonly float _labelStd;
    private float[][]? _scratch;

    internal MlpModel(MlpNetwork network, float labelMean, float labelStd, MlpTrainingReport report)
    {
        _network = network;
        _labelMean = labelMean;
        _labelStd = labelStd;
        Report = report;
    }

    public int FeatureCount => _network.Sizes[0];

    internal MlpNetwork Network => _network;

    public MlpTrainingReport Report { get; }

    public int? Epochs => Report.Epochs;

    public void Predict(ReadOnlySpan<float> features, Span<float> destination)
    {
        int f = FeatureCount;
        if (features.Length % f != 0)
            throw new ArgumentException($"features has {features.Length} values, not a multiple of {f}", nameof(features));
        int rows = features.Length / f;
        if (destination.Length < rows)
            throw new ArgumentException($"destination holds {destination.Length} values; {rows} needed", nameof(destination));

        var acts = _scratch ??= AllocateScratch();
        for (int start = 0; start < rows; start += BlockRows)
        {
            int count = Math.Min(BlockRows, rows - start);
            _network.Forward(features.Slice(start * f, count * f), count, acts);
            var output = acts[^1];
            for (int i = 0; i < count; i++)
                destination[start + i] = output[i] * _labelStd + _labelMean;
        }
    }

    private float[][] AllocateScratch()
    {
        var acts = new float[_network.Sizes.Length][];
        acts[0] = [];
        for (int l = 1; l < acts.Length; l++) acts[l] = new float[BlockRows * _network.Sizes[l]];
        return acts;
    }
}
