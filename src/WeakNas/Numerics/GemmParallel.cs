namespace WeakNas.Numerics;

/// <summary>
/// Splits C into disjoint row or column strips, one per core. The calling thread works too and
/// claims strips until none are left, so a busy thread pool only costs parallelism, never a wait.
/// </summary>
internal static class GemmParallel
{
    // Below this many multiply-adds, waking a pool thread costs more than it saves: measured here,
    // 64³ took ~10 µs on two threads against ~6 µs on one, while 128³ (= this threshold) gains ~1.4×.
    public const long MinParallelWork = 1L << 21;

    [ThreadStatic]
    private static GemmJob? t_job;

    public static void Run(in GemmArgs g)
    {
        (int mr, int nr) = GemmDriver.TileShape(g.Isa);

        // Split the longer side: each thread packs its own copy of the other operand, which is then
        // the smaller one, and strips stay many micro-tiles wide.
        bool splitRows = g.M > g.N;
        int units = splitRows ? (g.M + mr - 1) / mr : (g.N + nr - 1) / nr;
        long work = (long)g.M * g.N * g.K;
        int parts = work < MinParallelWork ? 1 : Math.Min(Parallelism.MaxThreads, units);
        if (parts <= 1)
        {
            GemmDriver.RunPart(in g, 0, g.M, 0, g.N);
            return;
        }

        // A job is reused only once every work item queued for it has finished touching it.
        GemmJob job = t_job is { IsIdle: true } cached ? cached : (t_job = new GemmJob());
        job.Run(in g, splitRows, parts, splitRows ? mr : nr);
    }
}

internal sealed class GemmJob : IThreadPoolWorkItem
{
    private GemmArgs _args;
    private bool _splitRows;
    private int _parts;
    private int _unit;
    private int _next;
    private int _done;
    private int _queued;

    public bool IsIdle => Volatile.Read(ref _queued) == 0;

    public void Run(in GemmArgs g, bool splitRows, int parts, int unit)
    {
        _args = g;
        _splitRows = splitRows;
        _parts = parts;
        _unit = unit;
        _done = 0;
        _queued = parts - 1;
        Volatile.Write(ref _next, 0);
        for (int i = 1; i < parts; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        ClaimAndRun();

        // Strips left are being computed by workers right now, so spin briefly rather than block.
        var spin = default(SpinWait);
        while (Volatile.Read(ref _done) < parts)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Execute()
    {
        ClaimAndRun();
        Interlocked.Decrement(ref _queued);
    }

    private void ClaimAndRun()
    {
        int part;
        while ((part = Interlocked.Increment(ref _next) - 1) < _parts)
        {
            int dim = _splitRows ? _args.M : _args.N;
            int units = (dim + _unit - 1) / _unit;
            int start = Math.Min(dim, (int)((long)units * part / _parts) * _unit);
            int end = Math.Min(dim, (int)((long)units * (part + 1) / _parts) * _unit);
            if (_splitRows)
            {
                GemmDriver.RunPart(in _args, start, end, 0, _args.N);
            }
            else
            {
                GemmDriver.RunPart(in _args, 0, _args.M, start, end);
            }

            Interlocked.Increment(ref _done);
        }
    }
}
