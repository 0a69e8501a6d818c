using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

/// <summary>
/// Copies a kc-long sliver of `lines` rows or columns of an operand into the kernel layout
/// dst[p*width + l], zero-padding lines up to width so edge tiles can run the full kernel.
/// Which function applies depends on whether the operand's lines run along k in memory, which is
/// how transA/transB disappear before the kernel. Packing runs once per element per k block, so it
/// is cheap only if vectorised: the transposing case is 10-20% of a multiply when done element-wise.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>dst[p*width + l] = scale * src[p*ld + l]: each k step is a contiguous run of the source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAlongRows(float* src, nint ld, int lines, int kc, float scale, float* dst, int width, GemmIsa isa)
    {
        bool v512 = isa == GemmIsa.Avx512;
        bool v256 = GemmIsaSelection.UseVector256(isa);
        for (int p = 0; p < kc; p++)
        {
            float* s = src + p * ld;
            float* d = dst + p * width;
            int l = 0;
            if (v512)
            {
                var vs = Vector512.Create(scale);
                for (; l + 16 <= lines; l += 16)
                {
                    (Vector512.Load(s + l) * vs).Store(d + l);
                }
            }

            if (v256)
            {
                var vs = Vector256.Create(scale);
                for (; l + 8 <= lines; l += 8)
                {
                    (Vector256.Load(s + l) * vs).Store(d + l);
                }
            }

            for (; l < lines; l++)
            {
                d[l] = scale * s[l];
            }

            for (; l < width; l++)
            {
                d[l] = 0;
            }
        }
    }

    /// <summary>dst[p*width + l] = scale * src[l*ld + p]: each line is a contiguous run along k (a transpose).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAcrossRows(float* src, nint ld, int lines, int kc, float scale, float* dst, int width, GemmIsa isa)
    {
        if (isa == GemmIsa.Avx512 && width % 16 is 0 or 12)
        {
            PackAcrossRowsAvx512(src, ld, lines, kc, scale, dst, width);
            return;
        }

        for (int p = 0; p < kc; p++)
        {
            float* s = src + p;
            float* d = dst + p * width;
            int l = 0;
            for (; l < lines; l++)
            {
                d[l] = scale * s[l * ld];
            }

            for (; l < width; l++)
            {
                d[l] = 0;
            }
        }
    }

    // Transposes 16 lines × 16 k steps at a time in registers; a group narrower than 16 (width 12)
    // is written with a masked store so neighbouring k steps are not overwritten.
    private static void PackAcrossRowsAvx512(float* src, nint ld, int lines, int kc, float scale, float* dst, int width)
    {
        Vector512<float>* rows = stackalloc Vector512<float>[16];
        Vector512<float>* scratch = stackalloc Vector512<float>[16];
        var vscale = Vector512.Create(scale);
        for (int l0 = 0; l0 < width; l0 += 16)
        {
            int groupWidth = Math.Min(16, width - l0);
            Vector512<float> storeMask = LaneMask(groupWidth);
            int groupLines = Math.Clamp(lines - l0, 0, groupWidth);
            for (int p0 = 0; p0 < kc; p0 += 16)
            {
                int steps = Math.Min(16, kc - p0);
                Vector512<float> loadMask = LaneMask(steps);
                for (int l = 0; l < 16; l++)
                {
                    // Masked-off lanes are not read, so the k tail never touches memory past the row.
                    rows[l] = l < groupLines
                        ? Avx512F.MaskLoad(src + (l0 + l) * ld + p0, loadMask, Vector512<float>.Zero)
                        : Vector512<float>.Zero;
                }

                Transpose16(rows, scratch);
                float* d = dst + p0 * width + l0;
                for (int p = 0; p < steps; p++)
                {
                    Avx512F.MaskStore(d + p * width, storeMask, rows[p] * vscale);
                }
            }
        }
    }

    private static Vector512<float> LaneMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>In-place 16×16 transpose: rows[i][j] becomes rows[j][i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16(Vector512<float>* r, Vector512<float>* u)
    {
        // After unpack + shuffle, u[4g + c] holds, in 128-bit lane q, rows 4g..4g+3 of column c + 4q.
        for (int g = 0; g < 16; g += 4)
        {
            Vector512<float> t0 = Avx512F.UnpackLow(r[g], r[g + 1]);
            Vector512<float> t1 = Avx512F.UnpackHigh(r[g], r[g + 1]);
            Vector512<float> t2 = Avx512F.UnpackLow(r[g + 2], r[g + 3]);
            Vector512<float> t3 = Avx512F.UnpackHigh(r[g + 2], r[g + 3]);
            u[g] = Avx512F.Shuffle(t0, t2, 0x44);
            u[g + 1] = Avx512F.Shuffle(t0, t2, 0xEE);
            u[g + 2] = Avx512F.Shuffle(t1, t3, 0x44);
            u[g + 3] = Avx512F.Shuffle(t1, t3, 0xEE);
        }

        // Then gather lane q of u[c], u[4+c], u[8+c], u[12+c] into column c + 4q.
        for (int c = 0; c < 4; c++)
        {
            Vector512<float> v0 = Avx512F.Shuffle4x128(u[c], u[4 + c], 0x88);
            Vector512<float> w0 = Avx512F.Shuffle4x128(u[c], u[4 + c], 0xDD);
            Vector512<float> v1 = Avx512F.Shuffle4x128(u[8 + c], u[12 + c], 0x88);
            Vector512<float> w1 = Avx512F.Shuffle4x128(u[8 + c], u[12 + c], 0xDD);
            r[c] = Avx512F.Shuffle4x128(v0, v1, 0x88);
            r[c + 8] = Avx512F.Shuffle4x128(v0, v1, 0xDD);
            r[c + 4] = Avx512F.Shuffle4x128(w0, w1, 0x88);
            r[c + 12] = Avx512F.Shuffle4x128(w0, w1, 0xDD);
        }
    }
}
