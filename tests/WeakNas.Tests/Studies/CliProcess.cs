using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace WeakNas.Tests.Studies;

/// <summary>
/// The `weaknas` command in a process of its own: `dotnet WeakNas.Cli.dll …`. The test project references the CLI,
/// so its dll (with deps.json and runtimeconfig.json) sits in the test output folder.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public CliProcess(params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliDll);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("WEAKNAS_STORAGE");
        // Every test names its data folder (or means the embedded tables); the developer's environment is not read.
        info.Environment.Remove("WEAKNAS_DATA");
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string CliDll { get; } = typeof(WeakNas.Cli.WeakNasCli).Assembly.Location;

    /// <summary>The dotnet host running these tests (DOTNET_HOST_PATH when the SDK set it), else dotnet on the PATH.</summary>
    private static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public int Id => _process.Id;

    /// <summary>Sends a POSIX signal (SIGINT 2, SIGTERM 15) to the process, as Ctrl-C or a scheduler would.</summary>
    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the exit and the end of the output; false on timeout (the process is then killed).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    /// <summary>SIGKILL to the process and its children (the evaluation command's shell): no chance to clean up.</summary>
    /// <summary>SIGKILL to this process alone, as `kill -9 PID` does: the commands it started go on running.</summary>
    public void KillAlone()
    {
        Signal(9);
        if (!_process.WaitForExit(30_000)) throw new TimeoutException($"process {_process.Id} still there 30 s after SIGKILL");
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public override string ToString() => $"exit {(_process.HasExited ? _process.ExitCode : "(running)")}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
