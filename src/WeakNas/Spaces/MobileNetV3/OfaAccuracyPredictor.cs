using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using Razorvine.Pickle;

namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// once-for-all's published accuracy predictor for its w1.2 MobileNetV3 supernet (<c>acc_predictor.pth</c>): an MLP
/// 128-400-400-400-1 with ReLUs, read straight from the legacy PyTorch file (no Python). Its input is a one-hot of each
/// active block's kernel size (20 × 3), of each active block's expand ratio (20 × 3) and of the resolution's slot
/// (r − 112) / 16 of 8 (112 to 239); its output the subnet's ImageNet top-1 on a held-out part of the training set, as a
/// fraction. This is the stand-in for training an ImageNet network that the WeakNAS paper's setting is judged by here.
/// </summary>
public sealed class OfaAccuracyPredictor
{
    public const int FeatureCount = 2 * OfaSubnet.Slots * 3 + ResolutionSlots;
    public const int ResolutionSlots = 8;
    public const int LowestResolution = 112;
    public const int HighestResolution = LowestResolution + 16 * ResolutionSlots - 1;

    private static readonly string[] LayerNames = ["0", "2", "4", "6"];
    private static readonly int[] Widths = [FeatureCount, 400, 400, 400, 1];
    private readonly double[][] _weights;
    private readonly double[][] _biases;

    private OfaAccuracyPredictor(double[][] weights, double[][] biases)
    {
        _weights = weights;
        _biases = biases;
    }

    /// <summary>Where a data folder keeps the predictor.</summary>
    public const string RelativePath = "ofa/acc_predictor.pth";

    /// <summary>The predictor of a data folder (its <c>ofa/acc_predictor.pth</c>), else the copy embedded in the library.</summary>
    public static OfaAccuracyPredictor Load(Benchmarks.BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        byte[] bytes = data.ReadBytes(RelativePath);
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, data.SourceOf(RelativePath));
    }

    /// <summary>
    /// Reads the predictor; an <see cref="InvalidInputException"/> naming the file and what is wrong when it is not a legacy
    /// PyTorch state dict of this network.
    /// </summary>
    public static OfaAccuracyPredictor Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidInputException($"once-for-all accuracy predictor not found: {path}");
        try
        {
            WeakNas.Data.InputFile.Check(path);
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        }
        catch (Exception e) when (e is PickleException or InvalidCastException or EndOfStreamException or IOException or ArgumentException or KeyNotFoundException)
        {
            throw new InvalidInputException($"{path}: not once-for-all's accuracy predictor ({e.Message})", e);
        }
    }

    private static OfaAccuracyPredictor Read(Stream stream, string path)
    {
        using var unpickler = new TorchUnpickler();
        var magic = unpickler.load(stream);
        if (!IsMagic(magic)) throw new InvalidInputException($"{path}: not a legacy PyTorch file (it may be a zip-format one; save it with _use_new_zipfile_serialization=False)");
        if (Convert.ToInt64(unpickler.load(stream), System.Globalization.CultureInfo.InvariantCulture) != 1001)
            throw new InvalidInputException($"{path}: unknown PyTorch file protocol");
        if (unpickler.load(stream) is IDictionary info && info["little_endian"] is false)
            throw new InvalidInputException($"{path}: a big-endian PyTorch file");
        var state = (IDictionary)unpickler.load(stream);
        var keys = ((IEnumerable)unpickler.load(stream)).Cast<object>().Select(k => (string)k).ToList();
        var storages = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Span<byte> count = stackalloc byte[8];
        foreach (string key in keys)
        {
            stream.ReadExactly(count);
            long n = BinaryPrimitives.ReadInt64LittleEndian(count);
            if (n is < 0 or > 10_000_000) throw new InvalidInputException($"{path}: storage {key} claims {n} values");
            var bytes = new byte[n * 4];
            stream.ReadExactly(bytes);
            var values = new float[n];
            for (int i = 0; i < n; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
            storages.Add(key, values);
        }
        if (stream.Position != stream.Length) throw new InvalidInputException($"{path}: {stream.Length - stream.Position} bytes after the last tensor");

        var weights = new double[LayerNames.Length][];
        var biases = new double[LayerNames.Length][];
        for (int l = 0; l < LayerNames.Length; l++)
        {
            weights[l] = Tensor(state, storages, LayerNames[l] + ".weight", [Widths[l + 1], Widths[l]], path);
            biases[l] = Tensor(state, storages, LayerNames[l] + ".bias", [Widths[l + 1]], path);
        }
        return new OfaAccuracyPredictor(weights, biases);
    }

    private static bool IsMagic(object? value) => value switch
    {
        BigInteger b => b == BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture),
        _ => false,
    };

    private static double[] Tensor(IDictionary state, Dictionary<string, float[]> storages, string name, int[] shape, string path)
    {
        if (!state.Contains(name) || state[name] is not TensorRef tensor) throw new InvalidInputException($"{path}: no tensor '{name}'");
        if (!tensor.Shape.SequenceEqual(shape))
            throw new InvalidInputException($"{path}: '{name}' has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}]");
        var data = storages[tensor.Storage];
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = new double[count];
        if (shape.Length == 1)
        {
            for (int i = 0; i < count; i++) values[i] = data[tensor.Offset + i * tensor.Stride[0]];
        }
        else
        {
            for (int r = 0; r < shape[0]; r++)
                for (int c = 0; c < shape[1]; c++) values[r * shape[1] + c] = data[tensor.Offset + r * tensor.Stride[0] + c * tensor.Stride[1]];
        }
        return values;
    }

    /// <summary>The predictor's input for a subnet (an <see cref="InvalidInputException"/> for a resolution outside 112..239).</summary>
    public static float[] Features(OfaSubnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (subnet.Resolution is < LowestResolution or > HighestResolution)
            throw new InvalidInputException($"once-for-all's accuracy predictor covers resolutions {LowestResolution} to {HighestResolution}, not {subnet.Resolution}");
        var features = new float[FeatureCount];
        for (int i = 0; i < OfaSubnet.Slots; i++)
        {
            if (!subnet.IsActive(i)) continue;
            features[i * 3 + subnet.KernelChoice(i)] = 1;
            features[OfaSubnet.Slots * 3 + i * 3 + subnet.ExpandChoice(i)] = 1;
        }
        features[2 * OfaSubnet.Slots * 3 + (subnet.Resolution - LowestResolution) / 16] = 1;
        return features;
    }

    /// <summary>The predicted top-1 as a fraction (once-for-all's own scale).</summary>
    public double PredictFraction(OfaSubnet subnet)
    {
        var x = Array.ConvertAll(Features(subnet), v => (double)v);
        for (int l = 0; l < _weights.Length; l++)
        {
            int inputs = Widths[l], outputs = Widths[l + 1];
            var y = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = _biases[l][o];
                var row = _weights[l].AsSpan(o * inputs, inputs);
                for (int i = 0; i < inputs; i++) sum += row[i] * x[i];
                y[o] = l < _weights.Length - 1 ? Math.Max(0, sum) : sum;
            }
            x = y;
        }
        return x[0];
    }

    /// <summary>The predicted top-1 in percent, as the search metric.</summary>
    public double Predict(OfaSubnet subnet) => 100 * PredictFraction(subnet);

    /// <summary>A tensor as the file describes it: which storage, where in it, its shape and strides.</summary>
    private sealed record TensorRef(string Storage, int Offset, int[] Shape, int[] Stride);

    private sealed record StorageRef(string Key);

    /// <summary>Unpickles a legacy PyTorch state dict: storages are persistent ids, tensors are rebuilt as references.</summary>
    private sealed class TorchUnpickler : Unpickler
    {
        static TorchUnpickler()
        {
            registerConstructor("torch._utils", "_rebuild_tensor_v2", new RebuildTensor());
            registerConstructor("torch", "FloatStorage", new Marker());
            registerConstructor("collections", "OrderedDict", new OrderedDictionary());
        }

        protected override object persistentLoad(object pid)
        {
            // ('storage', storage type, key, location, size, view metadata)
            var parts = (object[])pid;
            if (parts.Length < 5 || parts[0] as string != "storage") throw new InvalidInputException("an unknown persistent object in the file");
            return new StorageRef((string)parts[2]);
        }

        private sealed class RebuildTensor : IObjectConstructor
        {
            public object construct(object[] args)
            {
                var storage = (StorageRef)args[0];
                int offset = Convert.ToInt32(args[1], System.Globalization.CultureInfo.InvariantCulture);
                int[] Ints(object tuple) => [.. ((object[])tuple).Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))];
                return new TensorRef(storage.Key, offset, Ints(args[2]), Ints(args[3]));
            }
        }

        private sealed class Marker : IObjectConstructor
        {
            public object construct(object[] args) => this;
        }

        private sealed class OrderedDictionary : IObjectConstructor
        {
            public object construct(object[] args) => new StateDict();
        }

        /// <summary>A state dict: its items, and the attributes pickled after them (PyTorch's _metadata), which are not needed.</summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "the pickle protocol's method name")]
        public sealed class StateDict : Hashtable
        {
            public void __setstate__(Hashtable attributes) => _ = attributes;
        }
    }
}
