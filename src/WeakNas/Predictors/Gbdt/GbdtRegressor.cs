using WeakNas.Numerics;

namespace WeakNas.Predictors.Gbdt;

/// <summary>
/// Gradient-boosted regression trees (LightGBM through its C API), a second weak predictor beside the MLP: the WeakNAS
/// paper's choice (XGBoost) for the once-for-all MobileNetV3 space. The seed LightGBM gets (row and feature draws) comes
/// from the given random stream, so fits repeat bit for bit.
/// </summary>
public sealed class GbdtRegressor(GbdtRegressorOptions? options = null) : IRegressor
{
    public GbdtRegressorOptions Options { get; } = options ?? new GbdtRegressorOptions();

    IRegressionModel IRegressor.Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng)
        => Fit(features, featureCount, labels, rng);

    public unsafe GbdtModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Options.Validate();
        int n = FitInput.Rows(features, featureCount, labels);
        for (int i = 0; i < n; i++)
            if (!float.IsFinite(labels[i])) throw new ArgumentException($"label {i} is {labels[i]}; labels must be finite", nameof(labels));

        int seed = rng.NextInt(int.MaxValue);
        string parameters = Options.Parameters(seed);
        IntPtr dataset;
        try
        {
            fixed (float* x = features)
                LightGbmNative.Check(LightGbmNative.DatasetCreateFromMat(x, LightGbmNative.DTypeFloat32, n, featureCount, 1, parameters, IntPtr.Zero, out dataset), "DatasetCreateFromMat");
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidInputException($"the GBDT predictor needs LightGBM's native library, which its package ships for linux-x64, osx-x64 and win-x64 only (this is {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}); use --predictor mlp", e);
        }
        try
        {
            fixed (float* y = labels)
                LightGbmNative.Check(LightGbmNative.DatasetSetField(dataset, "label", y, n, LightGbmNative.DTypeFloat32), "DatasetSetField");
            LightGbmNative.Check(LightGbmNative.BoosterCreate(dataset, parameters, out var raw), "BoosterCreate");
            var booster = new BoosterHandle(raw);
            int trees = 0;
            for (; trees < Options.Trees; trees++)
            {
                LightGbmNative.Check(LightGbmNative.BoosterUpdateOneIter(raw, out int finished), "BoosterUpdateOneIter");
                if (finished != 0) break;
            }
            LightGbmNative.Check(LightGbmNative.BoosterGetCurrentIteration(raw, out int built), "BoosterGetCurrentIteration");
            return new GbdtModel(booster, featureCount, built, Options.PredictThreads == 0 ? Environment.ProcessorCount : Options.PredictThreads);
        }
        finally
        {
            LightGbmNative.DatasetFree(dataset);
        }
    }
}

/// <summary>A fitted LightGBM booster.</summary>
public sealed class GbdtModel : IRegressionModel, IDisposable
{
    private readonly BoosterHandle _booster;
    private readonly string _predictParameters;

    internal GbdtModel(BoosterHandle booster, int featureCount, int trees, int threads)
    {
        _booster = booster;
        FeatureCount = featureCount;
        Trees = trees;
        _predictParameters = $"num_threads={threads}";
    }

    public int FeatureCount { get; }

    /// <summary>Boosting rounds the fit ran (fewer than asked when no tree could split any more).</summary>
    public int Trees { get; }

    public unsafe void Predict(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (features.Length % FeatureCount != 0)
            throw new ArgumentException($"features has {features.Length} values, not a multiple of {FeatureCount}", nameof(features));
        int rows = features.Length / FeatureCount;
        if (destination.Length < rows) throw new ArgumentException($"destination has room for {destination.Length} of {rows} predictions", nameof(destination));
        if (rows == 0) return;
        ObjectDisposedException.ThrowIf(_booster.IsClosed, this);
        var result = new double[rows];
        bool added = false;
        try
        {
            _booster.DangerousAddRef(ref added);
            fixed (float* x = features)
            fixed (double* r = result)
                LightGbmNative.Check(LightGbmNative.BoosterPredictForMat(_booster.DangerousGetHandle(), x, LightGbmNative.DTypeFloat32, rows, FeatureCount, 1,
                    LightGbmNative.PredictNormal, 0, -1, _predictParameters, out long length, r), "BoosterPredictForMat");
        }
        finally
        {
            if (added) _booster.DangerousRelease();
        }
        for (int i = 0; i < rows; i++) destination[i] = (float)result[i];
    }

    /// <summary>LightGBM's text form of the model (its model file), for inspection or use with LightGBM itself.</summary>
    public unsafe string Save()
    {
        IntPtr raw = _booster.DangerousGetHandle();
        LightGbmNative.Check(LightGbmNative.BoosterSaveModelToString(raw, 0, -1, 0, 0, out long length, null), "BoosterSaveModelToString");
        var buffer = new byte[length];
        fixed (byte* b = buffer)
            LightGbmNative.Check(LightGbmNative.BoosterSaveModelToString(raw, 0, -1, 0, length, out _, b), "BoosterSaveModelToString");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)Math.Max(0, length - 1));
    }

    public void Dispose() => _booster.Dispose();
}
