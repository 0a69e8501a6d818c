using System.Runtime.InteropServices;

namespace WeakNas.Cli.Perf;

/// <summary>
/// The machine's OpenBLAS <c>cblas_sgemm</c>, loaded at run time when installed (Debian libopenblas0-pthread),
/// only to compare our kernel against it in the same process. Nothing in the library depends on it.
/// </summary>
internal sealed unsafe class OpenBlas
{
    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "libopenblas.so.0",
    ];

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;

    private OpenBlas(string path, nint sgemm, nint setThreads, string? coreName)
    {
        Path = path;
        CoreName = coreName;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        if (setThreads != 0) ((delegate* unmanaged<int, void>)setThreads)(Environment.ProcessorCount);
    }

    public string Path { get; }

    /// <summary>The kernel OpenBLAS runs, as it names it (<c>openblas_get_corename</c>), when it says.</summary>
    public string? CoreName { get; }

    /// <summary>How OPENBLAS_CORETYPE was set for this process: by the user, or by weaknas from the CPU's features.</summary>
    public static string CoreTypeSource { get; private set; } = "";

    /// <summary>
    /// Loads OpenBLAS. When OPENBLAS_CORETYPE is unset, sets it in the C environment from the CPU's features first
    /// (<see cref="CoreTypeFor"/>): Debian's build misdetects some of these virtual CPUs and runs a slow generic kernel,
    /// and a kernel for instructions the CPU lacks (SkylakeX without AVX-512) dies with "Illegal instruction".
    /// Returns null when no OpenBLAS is installed.
    /// </summary>
    public static OpenBlas? TryLoad()
    {
        string? given = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        if (!string.IsNullOrEmpty(given))
        {
            CoreTypeSource = $"OPENBLAS_CORETYPE={given} (from the environment)";
        }
        else if (OperatingSystem.IsLinux() && CoreTypeFor(Features.Current) is { } chosen)
        {
            _ = setenv("OPENBLAS_CORETYPE", chosen, 0);
            CoreTypeSource = $"OPENBLAS_CORETYPE={chosen} (chosen by weaknas for {Features.Current})";
        }
        else
        {
            CoreTypeSource = "OPENBLAS_CORETYPE unset (OpenBLAS detects the CPU)";
        }
        foreach (string path in Candidates)
        {
            if (!NativeLibrary.TryLoad(path, out nint handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm)) continue;
            NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads);
            string? core = NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint corename)
                ? Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)corename)())
                : null;
            return new OpenBlas(path, sgemm, setThreads, core);
        }
        return null;
    }

    /// <summary>The x86 features that decide OpenBLAS's kernel, and the CPU's vendor.</summary>
    internal readonly record struct Features(bool Avx512, bool Avx2Fma, bool Avx, bool Amd)
    {
        public static Features Current { get; } = new(
            System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported
                && System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported && System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported,
            System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported,
            System.Runtime.Intrinsics.X86.Avx.IsSupported,
            Vendor() == "AuthenticAMD");

        public override string ToString() =>
            (Amd ? "AMD, " : "") + (Avx512 ? "AVX-512" : Avx2Fma ? "AVX2+FMA, no AVX-512" : Avx ? "AVX, no AVX2" : "no AVX");

        private static string Vendor()
        {
            if (!System.Runtime.Intrinsics.X86.X86Base.IsSupported) return "";
            var (_, ebx, ecx, edx) = System.Runtime.Intrinsics.X86.X86Base.CpuId(0, 0);
            Span<int> words = [ebx, edx, ecx];
            return System.Text.Encoding.ASCII.GetString(MemoryMarshal.AsBytes(words));
        }
    }

    /// <summary>
    /// The OpenBLAS core type for these features: SkylakeX needs AVX-512; Zen (AMD) and Haswell (Intel) are its AVX2+FMA
    /// kernels; SandyBridge the AVX one; null (leave it to OpenBLAS) without AVX.
    /// </summary>
    internal static string? CoreTypeFor(Features f) =>
        f.Avx512 ? "SkylakeX" : f.Avx2Fma ? (f.Amd ? "Zen" : "Haswell") : f.Avx ? "SandyBridge" : null;

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C.</summary>
    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        const int RowMajor = 101, NoTrans = 111, Trans = 112;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
