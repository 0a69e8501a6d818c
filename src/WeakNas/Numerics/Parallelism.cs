namespace WeakNas.Numerics;

/// <summary>
/// How many cores the numeric kernels of the current thread may use. A benchmark that runs one search per
/// core limits each search's thread to one, so the searches do not fight over the cores. Results never
/// depend on this setting: every kernel sums in the same order whatever the split.
/// </summary>
public static class Parallelism
{
    [ThreadStatic]
    private static int t_maxThreads;

    /// <summary>Cores available to kernels called from this thread (default: all).</summary>
    public static int MaxThreads => t_maxThreads > 0 ? t_maxThreads : Environment.ProcessorCount;

    /// <summary>Limits this thread's kernels to <paramref name="threads"/> cores until the result is disposed.</summary>
    public static IDisposable Limit(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        int previous = t_maxThreads;
        t_maxThreads = threads;
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => t_maxThreads = previous;
    }
}
