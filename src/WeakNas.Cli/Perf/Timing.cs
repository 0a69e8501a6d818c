using System.Diagnostics;

namespace WeakNas.Cli.Perf;

internal static class Timing
{
    /// <summary>
    /// Best per-call seconds over <paramref name="samples"/> samples after one warm-up call; each sample repeats the
    /// call until at least <paramref name="minSeconds"/> have passed, so short calls are not timer noise.
    /// </summary>
    public static double Best(Action action, int samples = 5, double minSeconds = 0.05)
    {
        action();
        double best = double.PositiveInfinity;
        for (int s = 0; s < samples; s++)
        {
            int calls = 0;
            var clock = Stopwatch.StartNew();
            do
            {
                action();
                calls++;
            } while (clock.Elapsed.TotalSeconds < minSeconds);
            best = Math.Min(best, clock.Elapsed.TotalSeconds / calls);
        }
        return best;
    }

    /// <summary>Seconds of one call.</summary>
    public static double Once(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
