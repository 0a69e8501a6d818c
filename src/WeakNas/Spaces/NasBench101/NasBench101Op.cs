namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// The operation at one vertex of a NAS-Bench-101 cell. The numeric values are the benchmark's own
/// integer labels (those its module hash is computed from, and those <c>nb101_sample_1k.json</c> uses):
/// the three interior ops are 0..2 in the order of the official <c>available_ops</c>, input is -1 and
/// output is -2.
/// </summary>
public enum NasBench101Op
{
    /// <summary><c>output</c>: the cell's last vertex (label -2).</summary>
    Output = -2,

    /// <summary><c>input</c>: the cell's first vertex (label -1).</summary>
    Input = -1,

    /// <summary><c>conv3x3-bn-relu</c> (label 0).</summary>
    Conv3x3 = 0,

    /// <summary><c>conv1x1-bn-relu</c> (label 1).</summary>
    Conv1x1 = 1,

    /// <summary><c>maxpool3x3</c> (label 2).</summary>
    MaxPool3x3 = 2,
}
