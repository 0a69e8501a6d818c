using System.Diagnostics;
using System.Globalization;

namespace WeakNas.Cli;

/// <summary>
/// A one-line progress bar on stderr: queries done, best search accuracy so far and when it was found, queries per
/// second and the time left at that rate. Redrawn in place on a terminal (at most ten times a second) and never wider
/// than it, so it does not wrap and scroll; when stderr is redirected, a plain line at every tenth of the budget instead.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private readonly TextWriter _writer;
    private readonly int _total;
    private readonly bool _enabled;
    private readonly bool _interactive;
    private readonly Func<int> _width;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private int _lastDecile;
    private int _drawnLength;

    public ProgressBar(TextWriter writer, int total, bool enabled, Func<int>? width = null, bool? interactive = null)
    {
        _writer = writer;
        _total = total;
        _enabled = enabled;
        _interactive = interactive ?? (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);
        _width = width ?? TerminalWidth;
    }

    public void Update(int done, double best, int bestAt)
    {
        if (!_enabled) return;
        double seconds = _clock.Elapsed.TotalSeconds;
        if (_interactive)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now - _lastDraw < 100 && done < _total) return;
            _lastDraw = now;
            string line = Line(done, _total, best, bestAt, seconds, _width());
            // Pad over a longer previous line; stay one column short of the edge so the cursor never wraps.
            _writer.Write("\r" + line.PadRight(_drawnLength));
            _drawnLength = line.Length;
        }
        else
        {
            int decile = (int)(10L * done / _total);
            if (decile <= _lastDecile) return;
            _lastDecile = decile;
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{done}/{_total} queries, best {best:F4} (query {bestAt}), {seconds:F0} s, {Rate(done, seconds)}, {Left(done, _total, seconds)} left"));
        }
    }

    /// <summary>
    /// The bar's text for a terminal <paramref name="width"/> columns wide: shorter than the width, dropping the least
    /// useful parts first (bar, then rate, then best) when it is narrow.
    /// </summary>
    internal static string Line(int done, int total, double best, int bestAt, double seconds, int width)
    {
        var inv = CultureInfo.InvariantCulture;
        string count = string.Create(inv, $"{done}/{total}");
        string bestText = string.Create(inv, $"best {best:F4} @{bestAt}");
        string eta = $"ETA {Left(done, total, seconds)}";
        string rate = Rate(done, seconds);
        int room = Math.Max(1, width - 1);
        string[][] layouts =
        [
            [count, bestText, rate, eta],
            [count, bestText, eta],
            [count, eta],
            [count],
        ];
        foreach (var parts in layouts)
        {
            string text = string.Join("  ", parts);
            int barWidth = Math.Min(30, room - text.Length - 3);
            if (barWidth >= 10)
            {
                int filled = (int)((long)barWidth * done / total);
                return $"[{new string('#', filled)}{new string('-', barWidth - filled)}] {text}";
            }
            if (text.Length <= room) return text;
        }
        return count.Length <= room ? count : count[..room];
    }

    private static string Rate(int done, double seconds) =>
        seconds > 0 && done > 0 ? string.Create(CultureInfo.InvariantCulture, $"{done / seconds:G3} q/s") : "- q/s";

    /// <summary>Time left at the rate so far, as m:ss or h:mm:ss.</summary>
    private static string Left(int done, int total, double seconds)
    {
        if (done <= 0 || seconds <= 0) return "-:--";
        var left = TimeSpan.FromSeconds(Math.Min(seconds / done * (total - done), TimeSpan.FromDays(9).TotalSeconds));
        return left.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}:{left.Minutes:D2}:{left.Seconds:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}:{left.Seconds:D2}");
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 80;
        }
    }

    public void Finish()
    {
        if (_drawnLength > 0) _writer.WriteLine();
        _drawnLength = 0;
    }

    public void Dispose() => Finish();
}
