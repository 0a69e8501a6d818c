using System.Runtime.InteropServices;

namespace WeakNas.Cli;

/// <summary>
/// Ctrl-C (SIGINT) or SIGTERM while a search runs: the first one asks the search to stop after the query under way so
/// that its result can still be written; a second Ctrl-C ends the process at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>The exit code of an interrupted command (128 + SIGINT, as shells report it).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration? _terminate;

    public Interruption()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        if (!OperatingSystem.IsWindows())
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _source.Cancel();
            });
    }

    public CancellationToken Token => _source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return;
        e.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate?.Dispose();
        _source.Dispose();
    }
}
