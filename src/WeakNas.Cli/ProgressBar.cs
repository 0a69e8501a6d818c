using System.Diagnostics;
using System.Globalization;

namespace WeakNas.Cli;

/// <summary>
/// A one-line progress bar on stderr: queries done, best search accuracy so far and when it was found.
/// Redrawn in place on a terminal (at most ten times a second); when stderr is redirected, a plain line
/// at every tenth of the budget instead.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private readonly TextWriter _writer;
    private readonly int _total;
    private readonly bool _enabled;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private int _lastDecile;
    private bool _drawn;

    public ProgressBar(TextWriter writer, int total, bool enabled)
    {
        _writer = writer;
        _total = total;
        _enabled = enabled;
        _interactive = ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
    }

    public void Update(int done, double best, int bestAt)
    {
        if (!_enabled) return;
        if (_interactive)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now - _lastDraw < 100 && done < _total) return;
            _lastDraw = now;
            const int Width = 30;
            int filled = (int)((long)Width * done / _total);
            string bar = new string('#', filled) + new string('-', Width - filled);
            _writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{bar}] {done}/{_total} queries  best {best:F4} (query {bestAt})  {_clock.Elapsed.TotalSeconds:F0} s "));
            _drawn = true;
        }
        else
        {
            int decile = (int)(10L * done / _total);
            if (decile <= _lastDecile) return;
            _lastDecile = decile;
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{done}/{_total} queries, best {best:F4} (query {bestAt}), {_clock.Elapsed.TotalSeconds:F0} s"));
        }
    }

    public void Finish()
    {
        if (_drawn) _writer.WriteLine();
        _drawn = false;
    }

    public void Dispose() => Finish();
}
