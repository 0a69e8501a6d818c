using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using WeakNas.Numerics;

namespace WeakNas.Predictors;

/// <summary>
/// Minibatch Adam training of an <see cref="MlpNetwork"/> on squared error / 2 plus
/// (L2 / 2) · Σw² / batch, the objective scikit-learn's MLPRegressor minimises.
/// All buffers are allocated once per fit; the hot loop allocates nothing.
/// </summary>
internal sealed class MlpTrainer
{
    private readonly MlpNetwork _net;
    private readonly MlpRegressorOptions _options;
    private readonly int _batch;
    private readonly float[][] _acts;     // [0] gathered inputs, [l] layer l output
    private readonly float[] _deltaA;
    private readonly float[] _deltaB;
    private readonly float[] _gradient;
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly float[] _target;
    private long _step;

    public MlpTrainer(MlpNetwork network, MlpRegressorOptions options, int batch)
    {
        _net = network;
        _options = options;
        _batch = batch;
        _acts = new float[network.Sizes.Length][];
        for (int l = 0; l < _acts.Length; l++) _acts[l] = new float[batch * network.Sizes[l]];
        _deltaA = new float[batch * network.MaxWidth];
        _deltaB = new float[batch * network.MaxWidth];
        _gradient = new float[network.Parameters.Length];
        _m = new float[network.Parameters.Length];
        _v = new float[network.Parameters.Length];
        _target = new float[batch];
    }

    public MlpTrainingReport Train(float[] features, float[] labels, Rng rng)
    {
        int n = labels.Length;
        int f = _net.Sizes[0];
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var curve = new List<double>();
        double best = double.PositiveInfinity;
        int noImprovement = 0;
        bool stoppedEarly = false;

        for (int epoch = 0; epoch < _options.MaxEpochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            double accumulated = 0;
            for (int start = 0; start < n; start += _batch)
            {
                int rows = Math.Min(_batch, n - start);
                var input = _acts[0];
                for (int r = 0; r < rows; r++)
                {
                    int src = order[start + r];
                    features.AsSpan(src * f, f).CopyTo(input.AsSpan(r * f, f));
                    _target[r] = labels[src];
                }
                accumulated += Step(rows) * rows;
            }
            double loss = accumulated / n;
            curve.Add(loss);

            // scikit-learn's rule: count epochs whose loss is not below best - tol; stop when the count exceeds the patience.
            if (loss > best - _options.Tolerance) noImprovement++;
            else noImprovement = 0;
            if (loss < best) best = loss;
            if (noImprovement > _options.NoImprovementEpochs)
            {
                stoppedEarly = true;
                break;
            }
        }
        return new MlpTrainingReport(curve.Count, curve, stoppedEarly);
    }

    /// <summary>One forward/backward/Adam step on the first <paramref name="rows"/> gathered rows; returns the batch loss.</summary>
    private double Step(int rows)
    {
        double dataLoss = Backpropagate(rows);
        double sumSquaredWeights = AdamUpdate(rows);
        return dataLoss + 0.5 * _options.L2 * sumSquaredWeights / rows;
    }

    /// <summary>Places a batch as the next step's input (for tests that inspect gradients).</summary>
    internal void SetBatch(ReadOnlySpan<float> features, ReadOnlySpan<float> labels)
    {
        features.CopyTo(_acts[0]);
        labels.CopyTo(_target);
    }

    /// <summary>Gradient of the data loss from the last <see cref="Backpropagate"/>, laid out as the parameters.</summary>
    internal ReadOnlySpan<float> Gradient => _gradient;

    /// <summary>
    /// Forward and backward pass over the first <paramref name="rows"/> rows of the batch: fills the gradient of
    /// the mean loss (Σ(prediction − target)² / (2·rows), or Σ|prediction − target| / rows) and returns it.
    /// </summary>
    internal double Backpropagate(int rows)
    {
        var net = _net;
        int layers = net.LayerCount;
        net.Forward(_acts[0].AsSpan(0, rows * net.Sizes[0]), rows, _acts);

        // Output delta: the loss's derivative with respect to each prediction (times rows).
        var output = _acts[layers];
        var delta = _deltaA;
        double loss = 0;
        bool absolute = _options.Loss == RegressionLoss.Absolute;
        for (int r = 0; r < rows; r++)
        {
            float d = output[r] - _target[r];
            if (absolute)
            {
                delta[r] = MathF.Sign(d);
                loss += Math.Abs(d);
            }
            else
            {
                delta[r] = d;
                loss += 0.5 * d * d;
            }
        }

        float inverseRows = 1f / rows;
        for (int l = layers - 1; l >= 0; l--)
        {
            int fanIn = net.Sizes[l], fanOut = net.Sizes[l + 1];
            var input = _acts[l].AsSpan(0, rows * fanIn);
            var deltaSpan = delta.AsSpan(0, rows * fanOut);

            // dW = inputᵀ · delta / rows (the L2 term is added inside the optimiser's pass).
            Gemm.Multiply(true, false, fanIn, fanOut, rows, inverseRows, input, fanIn, deltaSpan, fanOut,
                0f, _gradient.AsSpan(net.WeightOffsets[l], fanIn * fanOut), fanOut);
            var biasGradient = _gradient.AsSpan(net.BiasOffsets[l], fanOut);
            deltaSpan[..fanOut].CopyTo(biasGradient);
            for (int r = 1; r < rows; r++) TensorPrimitives.Add(biasGradient, deltaSpan.Slice(r * fanOut, fanOut), biasGradient);
            TensorPrimitives.Multiply(biasGradient, inverseRows, biasGradient);

            if (l == 0) break;
            // delta_prev = delta · Wᵀ, masked by the ReLU derivative of the previous layer's output.
            var previous = delta == _deltaA ? _deltaB : _deltaA;
            var previousSpan = previous.AsSpan(0, rows * fanIn);
            Gemm.Multiply(false, true, rows, fanIn, fanOut, 1f, deltaSpan, fanOut, net.Weights(l), fanOut,
                0f, previousSpan, fanIn);
            MaskByPositive(previousSpan, input);
            delta = previous;
        }
        return loss / rows;
    }

    private static void MaskByPositive(Span<float> values, ReadOnlySpan<float> activations)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var a = Vector512.Create(activations.Slice(i, Vector512<float>.Count));
                var v = Vector512.Create(values.Slice(i, Vector512<float>.Count));
                Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<float>.Zero), v, Vector512<float>.Zero)
                    .CopyTo(values.Slice(i, Vector512<float>.Count));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var a = Vector256.Create(activations.Slice(i, Vector256<float>.Count));
                var v = Vector256.Create(values.Slice(i, Vector256<float>.Count));
                Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<float>.Zero), v, Vector256<float>.Zero)
                    .CopyTo(values.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < values.Length; i++) if (!(activations[i] > 0)) values[i] = 0;
    }

    /// <summary>
    /// Adam step over all parameters (scikit-learn's bias-corrected learning rate), adding the L2 gradient
    /// (L2 / rows) · w to weights on the fly. Returns Σw² of the weights before the update, for the loss.
    /// </summary>
    private double AdamUpdate(int rows)
    {
        _step++;
        float b1 = _options.Beta1, b2 = _options.Beta2;
        float lr = (float)(_options.LearningRate * Math.Sqrt(1 - Math.Pow(b2, _step)) / (1 - Math.Pow(b1, _step)));
        float decay = _options.L2 / rows;
        double total = 0;
        for (int l = 0; l < _net.LayerCount; l++)
        {
            int w = _net.WeightOffsets[l], b = _net.BiasOffsets[l];
            total += AdamSegment(w, b - w, decay, lr, b1, b2, _options.Epsilon);
            AdamSegment(b, _net.Sizes[l + 1], 0f, lr, b1, b2, _options.Epsilon);
        }
        return total;
    }

    private double AdamSegment(int offset, int length, float decay, float lr, float b1, float b2, float eps)
    {
        // Large segments are cut into a fixed number of parts (summed in a fixed order, so the loss does not
        // depend on how many cores ran them) and spread over the cores; the pass is memory-bound.
        const int MinParallelLength = 1 << 16, Parts = 2;
        if (length < MinParallelLength) return AdamRange(offset, length, decay, lr, b1, b2, eps);
        var partial = new double[Parts];
        void RunPart(int part)
        {
            int begin = (int)((long)length * part / Parts), end = (int)((long)length * (part + 1) / Parts);
            partial[part] = AdamRange(offset + begin, end - begin, decay, lr, b1, b2, eps);
        }
        if (Parallelism.MaxThreads > 1) Parallel.For(0, Parts, RunPart);
        else for (int part = 0; part < Parts; part++) RunPart(part);
        return partial[0] + partial[1];
    }

    private double AdamRange(int offset, int length, float decay, float lr, float b1, float b2, float eps) =>
        AdamKernel.Update(_net.Parameters.AsSpan(offset, length), _gradient.AsSpan(offset, length),
            _m.AsSpan(offset, length), _v.AsSpan(offset, length), decay, lr, b1, b2, eps);
}
