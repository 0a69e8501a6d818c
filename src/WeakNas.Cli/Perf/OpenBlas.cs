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

    private OpenBlas(string path, nint sgemm, nint setThreads)
    {
        Path = path;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        if (setThreads != 0) ((delegate* unmanaged<int, void>)setThreads)(Environment.ProcessorCount);
    }

    public string Path { get; }

    /// <summary>
    /// Loads OpenBLAS, first setting OPENBLAS_CORETYPE=SkylakeX in the C environment when unset: Debian's build
    /// misdetects this CPU otherwise and runs a slow generic kernel. Returns null when no OpenBLAS is installed.
    /// </summary>
    public static OpenBlas? TryLoad()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE")) && OperatingSystem.IsLinux())
            _ = setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
        foreach (string path in Candidates)
        {
            if (!NativeLibrary.TryLoad(path, out nint handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm)) continue;
            NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads);
            return new OpenBlas(path, sgemm, setThreads);
        }
        return null;
    }

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
