namespace WeakNas.Spaces.MobileNetV3;

/// <summary>
/// FLOPs and parameters of a once-for-all MobileNetV3 subnet as once-for-all counts them, from the network's
/// structure: a 3×3 stride-2 stem (16·w channels), a first block (depthwise 3×3 and a 1×1 projection), then per active
/// block an inverted bottleneck (1×1 expansion to make_divisible(round(in·e), 8) channels, a k×k depthwise
/// convolution, squeeze-excitation in stages 1, 3 and 4 with make_divisible(mid / 4, 8) channels, a 1×1 projection;
/// stage widths 24, 40, 80, 112, 160 times w, strides 2, 2, 2, 1, 2), a final 1×1 expansion to 960·w, global
/// pooling, a feature-mix 1×1 to 1280·w without bias or batch norm, and a 1000-way classifier. FLOPs are multiply-
/// accumulates of the convolutions, the squeeze-excitation 1×1s, the feature mix and the classifier (millions);
/// parameters are every weight and bias, batch-norm scale and shift included.
/// </summary>
public static class OfaMetrics
{
    internal static readonly int[] BaseWidths = [16, 16, 24, 40, 80, 112, 160, 960, 1280];
    internal static readonly int[] StageStrides = [2, 2, 2, 1, 2];
    internal static readonly bool[] StageSe = [false, true, false, true, true];
    internal const int Classes = 1000;

    /// <summary>Multiply-accumulates in millions at the subnet's resolution.</summary>
    public static double MegaFlops(OfaSubnet subnet, double width) => Count(subnet, width).Flops / 1e6;

    /// <summary>Trainable parameters of the extracted subnet.</summary>
    public static long Parameters(OfaSubnet subnet, double width) => Count(subnet, width).Parameters;

    /// <summary>Both counts in one pass.</summary>
    public static (long Flops, long Parameters) Count(OfaSubnet subnet, double width)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (!OfaMobileNetV3Space.Widths.Contains(width)) throw new InvalidInputException($"once-for-all MobileNetV3 width must be 1.0 or 1.2, got {width}");
        var c = new Counter();
        int stem = MakeDivisible(BaseWidths[0] * width), first = MakeDivisible(BaseWidths[1] * width);
        int h = c.Conv(subnet.Resolution, 3, stem, 3, 2);
        c.BatchNorm(stem);
        h = c.Conv(h, stem, stem, 3, 1, groups: stem);
        c.BatchNorm(stem);
        h = c.Conv(h, stem, first, 1, 1);
        c.BatchNorm(first);
        int channels = first;
        for (int stage = 0; stage < OfaSubnet.Stages; stage++)
        {
            int output = MakeDivisible(BaseWidths[2 + stage] * width);
            for (int block = 0; block < subnet.Depth(stage); block++)
            {
                int slot = stage * OfaSubnet.SlotsPerStage + block;
                int middle = MakeDivisible(Math.Round(channels * (double)subnet.ExpandRatio(slot), MidpointRounding.ToEven));
                h = c.Conv(h, channels, middle, 1, 1);
                c.BatchNorm(middle);
                h = c.Conv(h, middle, middle, subnet.KernelSize(slot), block == 0 ? StageStrides[stage] : 1, groups: middle);
                c.BatchNorm(middle);
                if (StageSe[stage])
                {
                    int reduced = MakeDivisible(middle / 4);
                    c.Dense(middle, reduced, bias: true);
                    c.Dense(reduced, middle, bias: true);
                }
                h = c.Conv(h, middle, output, 1, 1);
                c.BatchNorm(output);
                channels = output;
            }
        }
        int finalExpand = MakeDivisible(BaseWidths[7] * width), last = MakeDivisible(BaseWidths[8] * width);
        c.Conv(h, channels, finalExpand, 1, 1);
        c.BatchNorm(finalExpand);
        c.Dense(finalExpand, last, bias: false);
        c.Dense(last, Classes, bias: true);
        return (c.Flops, c.Parameters);
    }

    /// <summary>The channel rounding of once-for-all (and MobileNet): to a multiple of 8, at least 8, never more than 10 % down.</summary>
    public static int MakeDivisible(double value, int divisor = 8)
    {
        int rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }

    private sealed class Counter
    {
        public long Flops;
        public long Parameters;

        /// <summary>A bias-free convolution with "same" padding; returns the output's side.</summary>
        public int Conv(int side, int input, int output, int kernel, int stride, int groups = 1)
        {
            int outSide = (side + 2 * (kernel / 2) - kernel) / stride + 1;
            long weights = (long)kernel * kernel * input / groups * output;
            Flops += (long)outSide * outSide * weights;
            Parameters += weights;
            return outSide;
        }

        /// <summary>A 1×1 layer on a pooled (1×1) input: squeeze-excitation, feature mix, classifier.</summary>
        public void Dense(int input, int output, bool bias)
        {
            Flops += (long)input * output;
            Parameters += (long)input * output + (bias ? output : 0);
        }

        public void BatchNorm(int channels) => Parameters += 2L * channels;
    }
}
