namespace WeakNas.Numerics;

/// <summary>What the kernel does to each output element after the product.</summary>
public enum GemmEpilogue
{
    /// <summary>C = alpha*op(A)*op(B) + beta*C.</summary>
    None,
    /// <summary>C = alpha*op(A)*op(B) + beta*C + bias[j].</summary>
    Bias,
    /// <summary>C = max(0, alpha*op(A)*op(B) + beta*C + bias[j]).</summary>
    BiasRelu,
}

/// <summary>
/// Single-precision matrix multiply on row-major matrices:
/// C (m×n) = alpha * op(A) * op(B) + beta * C, then the epilogue.
/// op(A) is m×k (A stored m×k, or k×m when transA); op(B) is k×n (B stored k×n, or n×k when transB).
/// lda/ldb/ldc are row strides in elements.
/// </summary>
/// <remarks>
/// BLAS conventions: when beta is 0, C is not read (NaN there is ignored); when alpha is 0 or k is 0,
/// A and B are not read. C must not overlap A, B or bias. Large products are split across the cores
/// (the calling thread takes part); results do not depend on the split, as every element is summed
/// in the same order. Safe to call from several threads at once.
/// </remarks>
public static class Gemm
{
    public static unsafe void Multiply(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc,
        GemmEpilogue epilogue = GemmEpilogue.None, ReadOnlySpan<float> bias = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (epilogue is < GemmEpilogue.None or > GemmEpilogue.BiasRelu)
        {
            throw new ArgumentOutOfRangeException(nameof(epilogue));
        }

        // Stored shapes: A is (transA ? k×m : m×k), B is (transB ? n×k : k×n).
        CheckOperand(a, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
        CheckOperand(b, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckOperand(c, m, n, ldc, nameof(c), nameof(ldc));
        bool hasBias = epilogue != GemmEpilogue.None;
        if (hasBias && bias.Length < n)
        {
            throw new ArgumentException($"bias has {bias.Length} elements but n = {n}.", nameof(bias));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            var args = new GemmArgs
            {
                A = pa, Lda = lda, TransA = transA,
                B = pb, Ldb = ldb, TransB = transB,
                C = pc, Ldc = ldc,
                M = m, N = n, K = k,
                Alpha = alpha, Beta = beta,
                Bias = hasBias ? pbias : null,
                Relu = epilogue == GemmEpilogue.BiasRelu,
                Isa = GemmIsaSelection.Current,
            };
            Dispatch(in args);
        }
    }

    private static void Dispatch(in GemmArgs args)
    {
        if (args.K == 0 || args.Alpha == 0)
        {
            GemmDriver.ScaleOnly(in args);
            return;
        }

        // Matrix-vector shapes would fill 1/Mr or 1/Nr of a register tile and spend as long packing
        // as multiplying, so they run as dot-product or axpy loops instead.
        if ((args.M == 1 || args.N == 1) && GemmVector.TryRun(in args))
        {
            return;
        }

        GemmParallel.Run(in args);
    }

    private static void CheckOperand(ReadOnlySpan<float> span, int rows, int cols, int ld, string name, string ldName)
    {
        // ld == 0 is allowed for a matrix with no columns (k == 0), where nothing is read.
        if (ld < cols || ld < 0)
        {
            throw new ArgumentException($"{ldName} = {ld} is less than the row length {cols}.", ldName);
        }

        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (span.Length < needed)
        {
            throw new ArgumentException(
                $"{name} has {span.Length} elements but a {rows}×{cols} matrix with stride {ld} needs {needed}.", name);
        }
    }
}
