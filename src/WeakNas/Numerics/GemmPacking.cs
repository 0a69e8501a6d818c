using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

/// <summary>
/// Copies a kc-long sliver of `lines` rows or columns of an operand into the kernel layout
/// dst[p*width + l], zero-padding lines up to width so edge tiles can run the full kernel.
/// Which function applies depends on whether the operand's lines run along k in memory, which is
/// how transA/transB disappear before the kernel. Every element is packed once per k block, so
/// element-wise loops here would cost 10-20% of a multiply; the AVX-512 paths move whole vectors
/// (masked at the edges, which also keeps reads inside the source rows).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>dst[p*width + l] = scale * src[p*ld + l]: each k step is a contiguous run of the source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAlongRows(float* src, nint ld, int lines, int kc, float scale, float* dst, int width, GemmIsa isa)
    {
        if (isa == GemmIsa.Avx512 && width <= 32)
        {
            var vscale = Vector512.Create(scale);
            Vector512<float> load0 = LaneMask(lines), store0 = LaneMask(width);
            Vector512<float> load1 = LaneMask(lines - 16), store1 = LaneMask(width - 16);
            bool two = width > 16;
            for (int p = 0; p < kc; p++)
            {
                float* s = src + p * ld;
                float* d = dst + p * width;
                Avx512F.MaskStore(d, store0, Avx512F.MaskLoad(s, load0, Vector512<float>.Zero) * vscale);
                if (two)
                {
                    Avx512F.MaskStore(d + 16, store1, Avx512F.MaskLoad(s + 16, load1, Vector512<float>.Zero) * vscale);
                }
            }

            return;
        }

        bool v256 = GemmIsaSelection.UseVector256(isa);
        for (int p = 0; p < kc; p++)
        {
            float* s = src + p * ld;
            float* d = dst + p * width;
            int l = 0;
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

    /// <summary>
    /// Packs a whole block of slivers: sliver s covers lines [s*width, s*width + width) and lives at
    /// dst + s*width*kc. Walks each source row once, left to right, instead of once per sliver,
    /// so the source streams through the cache in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackBlockAlongRows(float* src, nint ld, int lines, int kc, float* dst, int width, GemmIsa isa)
    {
        int slivers = (lines + width - 1) / width;
        if (isa != GemmIsa.Avx512 || width != 32)
        {
            for (int s = 0; s < slivers; s++)
            {
                int count = Math.Min(width, lines - s * width);
                PackAlongRows(src + s * width, ld, count, kc, 1f, dst + (nint)s * width * kc, width, isa);
            }

            return;
        }

        int fullSlivers = lines / 32;
        int rest = lines - fullSlivers * 32;
        Vector512<float> load0 = LaneMask(rest), load1 = LaneMask(rest - 16);
        nint sliverSize = (nint)32 * kc;
        for (int p = 0; p < kc; p++)
        {
            float* s = src + p * ld;
            float* d = dst + p * 32;
            for (int q = 0; q < fullSlivers; q++)
            {
                Vector512.Load(s).StoreAligned(d);
                Vector512.Load(s + 16).StoreAligned(d + 16);
                s += 32;
                d += sliverSize;
            }

            if (rest > 0)
            {
                Avx512F.MaskLoad(s, load0, Vector512<float>.Zero).StoreAligned(d);
                Avx512F.MaskLoad(s + 16, load1, Vector512<float>.Zero).StoreAligned(d + 16);
            }
        }
    }

    /// <summary>dst[p*width + l] = scale * src[l*ld + p]: each line is a contiguous run along k (a transpose).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAcrossRows(float* src, nint ld, int lines, int kc, float scale, float* dst, int width, GemmIsa isa)
    {
        if (isa == GemmIsa.Avx512 && width % 16 is 0 or 12)
        {
            // 16 lines × 16 k steps per register transpose; a 12-wide group stores 12 lanes per step.
            var vscale = Vector512.Create(scale);
            for (int l0 = 0; l0 < width; l0 += 16)
            {
                Vector512<float> storeMask = LaneMask(Math.Min(16, width - l0));
                int groupLines = Math.Clamp(lines - l0, 0, 16);
                float* s = src + l0 * ld;
                float* d = dst + l0;
                int p0 = 0;
                for (; p0 + 16 <= kc; p0 += 16)
                {
                    Transpose16(s + p0, ld, groupLines, Vector512<float>.AllBitsSet, d + p0 * width, width, storeMask, vscale, 16);
                }

                if (p0 < kc)
                {
                    Transpose16(s + p0, ld, groupLines, LaneMask(kc - p0), d + p0 * width, width, storeMask, vscale, kc - p0);
                }
            }

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

    private static Vector512<float> LaneMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>
    /// Reads `lines` (≤ 16) rows of up to 16 k steps (loadMask), transposes them in registers and
    /// writes k step i to d + i*width (storeMask lanes, times scale) for i below steps.
    /// </summary>
    // Too large to inline; a call per 256 elements is cheap, tier-0 code here would not be.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose16(float* s, nint ld, int lines, Vector512<float> loadMask,
        float* d, int width, Vector512<float> storeMask, Vector512<float> scale, int steps)
    {
        Vector512<float> r0 = Row(s, ld, 0, lines, loadMask), r1 = Row(s, ld, 1, lines, loadMask);
        Vector512<float> r2 = Row(s, ld, 2, lines, loadMask), r3 = Row(s, ld, 3, lines, loadMask);
        Vector512<float> r4 = Row(s, ld, 4, lines, loadMask), r5 = Row(s, ld, 5, lines, loadMask);
        Vector512<float> r6 = Row(s, ld, 6, lines, loadMask), r7 = Row(s, ld, 7, lines, loadMask);
        Vector512<float> r8 = Row(s, ld, 8, lines, loadMask), r9 = Row(s, ld, 9, lines, loadMask);
        Vector512<float> r10 = Row(s, ld, 10, lines, loadMask), r11 = Row(s, ld, 11, lines, loadMask);
        Vector512<float> r12 = Row(s, ld, 12, lines, loadMask), r13 = Row(s, ld, 13, lines, loadMask);
        Vector512<float> r14 = Row(s, ld, 14, lines, loadMask), r15 = Row(s, ld, 15, lines, loadMask);

        // After unpack + shuffle, u[4g + c] holds, in 128-bit lane q, rows 4g..4g+3 of column c + 4q;
        // the two 128-bit-lane shuffles then collect lane q of u[c], u[4+c], u[8+c], u[12+c].
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1);
        Vector512<float> t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3);
        Vector512<float> t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> u0 = Avx512F.Shuffle(t0, t2, 0x44);
        Vector512<float> u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        Vector512<float> u2 = Avx512F.Shuffle(t1, t3, 0x44);
        Vector512<float> u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5);
        Vector512<float> t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> t6 = Avx512F.UnpackLow(r6, r7);
        Vector512<float> t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> u4 = Avx512F.Shuffle(t4, t6, 0x44);
        Vector512<float> u5 = Avx512F.Shuffle(t4, t6, 0xEE);
        Vector512<float> u6 = Avx512F.Shuffle(t5, t7, 0x44);
        Vector512<float> u7 = Avx512F.Shuffle(t5, t7, 0xEE);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9);
        Vector512<float> t9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> t10 = Avx512F.UnpackLow(r10, r11);
        Vector512<float> t11 = Avx512F.UnpackHigh(r10, r11);
        Vector512<float> u8 = Avx512F.Shuffle(t8, t10, 0x44);
        Vector512<float> u9 = Avx512F.Shuffle(t8, t10, 0xEE);
        Vector512<float> u10 = Avx512F.Shuffle(t9, t11, 0x44);
        Vector512<float> u11 = Avx512F.Shuffle(t9, t11, 0xEE);
        Vector512<float> t12 = Avx512F.UnpackLow(r12, r13);
        Vector512<float> t13 = Avx512F.UnpackHigh(r12, r13);
        Vector512<float> t14 = Avx512F.UnpackLow(r14, r15);
        Vector512<float> t15 = Avx512F.UnpackHigh(r14, r15);
        Vector512<float> u12 = Avx512F.Shuffle(t12, t14, 0x44);
        Vector512<float> u13 = Avx512F.Shuffle(t12, t14, 0xEE);
        Vector512<float> u14 = Avx512F.Shuffle(t13, t15, 0x44);
        Vector512<float> u15 = Avx512F.Shuffle(t13, t15, 0xEE);
        Vector512<float> v0 = Avx512F.Shuffle4x128(u0, u4, 0x88);
        Vector512<float> w0 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        Vector512<float> x0 = Avx512F.Shuffle4x128(u8, u12, 0x88);
        Vector512<float> y0 = Avx512F.Shuffle4x128(u8, u12, 0xDD);
        Vector512<float> v1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        Vector512<float> w1 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        Vector512<float> x1 = Avx512F.Shuffle4x128(u9, u13, 0x88);
        Vector512<float> y1 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        Vector512<float> v2 = Avx512F.Shuffle4x128(u2, u6, 0x88);
        Vector512<float> w2 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        Vector512<float> x2 = Avx512F.Shuffle4x128(u10, u14, 0x88);
        Vector512<float> y2 = Avx512F.Shuffle4x128(u10, u14, 0xDD);
        Vector512<float> v3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        Vector512<float> w3 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        Vector512<float> x3 = Avx512F.Shuffle4x128(u11, u15, 0x88);
        Vector512<float> y3 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        StoreStep(d, width, steps, storeMask, scale, 0, Avx512F.Shuffle4x128(v0, x0, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 4, Avx512F.Shuffle4x128(w0, y0, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 8, Avx512F.Shuffle4x128(v0, x0, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 12, Avx512F.Shuffle4x128(w0, y0, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 1, Avx512F.Shuffle4x128(v1, x1, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 5, Avx512F.Shuffle4x128(w1, y1, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 9, Avx512F.Shuffle4x128(v1, x1, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 13, Avx512F.Shuffle4x128(w1, y1, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 2, Avx512F.Shuffle4x128(v2, x2, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 6, Avx512F.Shuffle4x128(w2, y2, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 10, Avx512F.Shuffle4x128(v2, x2, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 14, Avx512F.Shuffle4x128(w2, y2, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 3, Avx512F.Shuffle4x128(v3, x3, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 7, Avx512F.Shuffle4x128(w3, y3, 0x88));
        StoreStep(d, width, steps, storeMask, scale, 11, Avx512F.Shuffle4x128(v3, x3, 0xDD));
        StoreStep(d, width, steps, storeMask, scale, 15, Avx512F.Shuffle4x128(w3, y3, 0xDD));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreStep(float* d, int width, int steps, Vector512<float> storeMask, Vector512<float> scale,
        int step, Vector512<float> value)
    {
        if (step < steps)
        {
            Avx512F.MaskStore(d + step * width, storeMask, value * scale);
        }
    }

    // Lines past the end are zero padding and are not read (masked-off lanes are not read either).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* s, nint ld, int line, int lines, Vector512<float> loadMask) =>
        line < lines ? Avx512F.MaskLoad(s + line * ld, loadMask, Vector512<float>.Zero) : Vector512<float>.Zero;
}
