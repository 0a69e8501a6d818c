namespace WeakNas.Spaces.Darts;

/// <summary>
/// The number of trainable parameters of DARTS's evaluation network for a genotype (weights and batch-norm scales and
/// shifts; running statistics are not parameters; the auxiliary head is left out, as DARTS counts): the CIFAR network
/// (a 3×3 stem to 3C channels, then cells, reduction cells at a third and two thirds of the depth doubling the width,
/// a linear classifier) and the ImageNet one (three stride-2 stems; the first cell sees a reduced input).
/// <list type="bullet">
/// <item>ReLU-conv-BN 1×1 preprocessing: C_in·C + 2C; after a reduction, the cell's older input is reduced by two
/// stride-2 1×1 convolutions to C/2 each (C_in·C) and a batch norm (2C).</item>
/// <item>sep_conv_k: twice (depthwise k×k, pointwise 1×1, batch norm): 2(C·k² + C² + 2C); dil_conv_k once: C·k² + C² + 2C.</item>
/// <item>skip_connect: nothing, or in a reduction cell from a cell input (stride 2) the factorized reduction: C² + 2C.
/// Pools and none: nothing.</item>
/// </list>
/// </summary>
public static class DartsParameters
{
    /// <summary>An evaluation network's size: initial channels, cells, classes.</summary>
    public sealed record Network(string Name, int Channels, int Cells, int Classes, bool ImageNet)
    {
        /// <summary>DARTS's CIFAR-10 evaluation: 36 channels, 20 cells.</summary>
        public static Network Cifar10 { get; } = new("cifar10", 36, 20, 10, ImageNet: false);

        /// <summary>DARTS's ImageNet (mobile) evaluation: 48 channels, 14 cells, 1,000 classes.</summary>
        public static Network ImageNet1k { get; } = new("imagenet", 48, 14, 1000, ImageNet: true);
    }

    public static long Count(DartsGenotype genotype, Network network)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        ArgumentNullException.ThrowIfNull(network);
        long c = network.Channels;
        long total;
        long previousPrevious, previous;
        if (network.ImageNet)
        {
            long half = c / 2;
            // stem0: conv 3×3 (3 → C/2), BN, ReLU, conv 3×3 (C/2 → C), BN; stem1: ReLU, conv 3×3 (C → C), BN.
            total = 3 * half * 9 + 2 * half + half * c * 9 + 2 * c + c * c * 9 + 2 * c;
            (previousPrevious, previous) = (c, c);
        }
        else
        {
            long stem = 3 * c;
            total = 3 * stem * 9 + 2 * stem;
            (previousPrevious, previous) = (stem, stem);
        }
        long current = c;
        for (int i = 0; i < network.Cells; i++)
        {
            bool reduction = i == network.Cells / 3 || i == 2 * network.Cells / 3;
            if (reduction) current *= 2;
            total += Cell(genotype, previousPrevious, previous, current, reduction);
            (previousPrevious, previous) = (previous, DartsGenotype.Nodes * current);
        }
        return total + previous * network.Classes + network.Classes;
    }

    private static long Cell(DartsGenotype genotype, long previousPrevious, long previous, long c, bool reduction)
    {
        // Preprocessing: the older input reduced after a reduction cell (FactorizedReduce) or ReLU-conv-BN 1×1 like the newer
        // one: the same count either way.
        long total = previousPrevious * c + 2 * c + previous * c + 2 * c;
        var cell = genotype.Cell(reduction);
        for (int e = 0; e < DartsGenotype.EdgesPerCell; e++)
        {
            var edge = cell[e];
            bool strided = reduction && edge.Input < 2;
            total += edge.Op switch
            {
                DartsOp.SepConv3x3 => 2 * (c * 9 + c * c + 2 * c),
                DartsOp.SepConv5x5 => 2 * (c * 25 + c * c + 2 * c),
                DartsOp.DilConv3x3 => c * 9 + c * c + 2 * c,
                DartsOp.DilConv5x5 => c * 25 + c * c + 2 * c,
                DartsOp.SkipConnect => strided ? c * c + 2 * c : 0,
                _ => 0,
            };
        }
        return total;
    }
}
