namespace WeakNas.Spaces.NasBench201;

/// <summary>
/// The operation on one edge of a NAS-Bench-201 cell. The numeric values are the benchmark's own
/// op order; cell codes, the index order and the one-hot encoding all depend on it.
/// </summary>
public enum NasBench201Op
{
    /// <summary><c>none</c>: the edge outputs zero, i.e. it is absent.</summary>
    None = 0,

    /// <summary><c>skip_connect</c>: identity.</summary>
    SkipConnect = 1,

    /// <summary><c>nor_conv_1x1</c>: ReLU, 1×1 convolution, batch norm.</summary>
    Conv1x1 = 2,

    /// <summary><c>nor_conv_3x3</c>: ReLU, 3×3 convolution, batch norm.</summary>
    Conv3x3 = 3,

    /// <summary><c>avg_pool_3x3</c>: 3×3 average pooling, stride 1.</summary>
    AvgPool3x3 = 4,
}
