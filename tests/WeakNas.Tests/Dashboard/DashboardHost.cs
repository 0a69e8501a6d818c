using System.Globalization;
using System.Net;
using System.Text.Json;
using WeakNas.Cli.Dashboard;
using WeakNas.Studies;
using WeakNas.Tests.Spaces.Declared;
using WeakNas.Tests.Studies;

namespace WeakNas.Tests.Dashboard;

/// <summary>
/// A real SQLite storage with studies in it and the dashboard serving it on a free port of 127.0.0.1, read through a
/// second storage handle as a separate `weaknas dashboard` process would; <see cref="Storage"/> is the handle the tests
/// write with (as workers and `study tell` do).
/// </summary>
internal sealed class DashboardHost : IDisposable
{
    private readonly TestStorage _storage = new(Backends.Sqlite);
    private readonly IStudyStorage _served;
    private DashboardServer? _server;

    public DashboardHost()
    {
        _served = _storage.OpenAnother();
    }

    public IStudyStorage Storage => _storage.Storage;

    public string Url => _storage.Url!;

    public string FilePath => _storage.FilePath!;

    /// <summary>The dashboard's address (http://127.0.0.1:PORT/), once started.</summary>
    public Uri Address => (_server ?? throw new InvalidOperationException("not started")).Url;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Serves the storage; the page names it <paramref name="label"/> (default: its URL).</summary>
    public DashboardHost Start(int refreshMs = 1000, string? label = null)
    {
        _server = DashboardServer.Start(_served, new DashboardSettings(label ?? Url, refreshMs), IPAddress.Loopback, 0);
        return this;
    }

    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    public (HttpStatusCode Status, JsonElement Json) Get(string path)
    {
        using var response = Client.GetAsync(new Uri(Address, path)).GetAwaiter().GetResult();
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>
    /// An nb201 random study: 6 proposed; trials 0, 1 and 3 complete (accuracy only, as a table lookup reports), trial 2
    /// failed with <see cref="FailReason"/>, trial 4 running, trial 5 waiting.
    /// </summary>
    public Study Nb201Study(string name)
    {
        var study = Study.Create(Storage, StudyFixtures.RandomSpec(name, budget: 12) with { BatchSize = 6 });
        var asked = study.Ask(5, "w1");
        Assert.Equal([0, 1, 2, 3, 4], asked.Select(t => t.Number));
        foreach (int n in new[] { 0, 1, 3 }) Assert.True(study.Tell(n, Accuracy(Nb201Values[n]), "w1"));
        Assert.True(study.Fail(2, FailReason, "w1"));
        return study;
    }

    public const string FailReason = "evaluation command exited with code 137 (killed: out of memory)";

    public static readonly double[] Nb201Values = [0.8125, 0.875, double.NaN, 0.9062, 0.9375, 0.7188];

    public static string Accuracy(double value) => string.Create(CultureInfo.InvariantCulture, $"{{\"accuracy\": {value:R}}}");

    /// <summary>
    /// A declared study over <see cref="DeclaredSpaces.Stages"/> whose evaluator reports accuracy, params and
    /// train_seconds, all fixed functions of the decisions: <paramref name="complete"/> complete, <paramref name="failed"/>
    /// failed, <paramref name="running"/> running, the rest of the batch waiting. Four workers take the trials in turn on a
    /// clock of their own that starts on 30 November 2026, so that a trial lasts its train_seconds.
    /// </summary>
    public Study DeclaredStudy(string name, int complete, int failed, int running, int budget = 80)
    {
        Assert.InRange(running, 0, 4); // one trial in hand per worker
        var space = DeclaredSpaces.Stages;
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var study = Study.Create(Storage, new StudySpec
        {
            Name = name, Space = space.Name, Declaration = space.ToDeclarationJson(), Pool = 400, PoolSeed = 7,
            Strategy = "random", Seed = 5, Budget = budget, BatchSize = budget,
        }, time: clock);
        string[] reasons =
        [
            "CUDA out of memory: tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity)",
            "evaluation timed out after 3600 s",
            "evaluation command exited with code 1: loss is NaN at epoch 3",
            "the last stdout line is not a JSON object: 'Segmentation fault'",
        ];
        int finished = complete + failed;
        // Failures spread evenly through the run rather than at its end.
        var failing = Enumerable.Range(0, failed).Select(k => (2 * k + 1) * finished / (2 * failed)).ToList();
        var free = new DateTimeOffset[4];
        Array.Fill(free, clock.Now);
        for (int i = 0; i < finished + running; i++)
        {
            int w = Array.IndexOf(free, free.Min());
            string worker = $"gpu-{w}";
            clock.Now = free[w];
            var t = Assert.Single(study.Ask(1, worker));
            if (i >= finished)
            {
                free[w] = DateTimeOffset.MaxValue; // busy with it
                continue;
            }
            if (failing.IndexOf(i) is int k and >= 0)
            {
                clock.Now += TimeSpan.FromSeconds(5 + (i * 37 % 50));
                Assert.True(study.Fail(t.Number, reasons[k % reasons.Length], worker));
            }
            else
            {
                string metrics = StagesMetrics(space.Parse(t.Arch), t.Number);
                clock.Now += TimeSpan.FromSeconds(System.Text.Json.JsonDocument.Parse(metrics).RootElement.GetProperty("train_seconds").GetDouble());
                Assert.True(study.Tell(t.Number, metrics, worker));
            }
            free[w] = clock.Now + TimeSpan.FromSeconds(2);
        }
        return study;
    }

    /// <summary>A clock that stands still until told.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A made-up but plausible evaluator: wider and deeper nets with mbconv blocks score higher and cost more.</summary>
    public static string StagesMetrics(WeakNas.Spaces.Declared.DeclaredArchitecture a, int number)
    {
        // Decisions: width, depth1, s1b1, s1b2, s1b3, depth2, s2b1, s2b2, s2b3, se.
        double width = 16 + 16 * a[0];
        int blocks = 0, mb = 0, k5 = 0;
        foreach (int d in new[] { 2, 3, 4, 6, 7, 8 })
        {
            if (a[d] < 0) continue;
            blocks++;
            if (a[d] == 2) mb++;
            if (a[d] == 1) k5++;
        }
        double noise = ((number * 7919 % 1000) / 1000.0 - 0.5) * 0.02;
        double accuracy = 0.80 + 0.025 * Math.Log2(width / 16) + 0.008 * blocks + 0.006 * mb + 0.003 * k5 + (a[9] == 0 ? 0.004 : 0) + noise;
        double parameters = width * width * (blocks * 9 + k5 * 16 + mb * 12) / 1e4;
        double seconds = 40 + parameters * 6.5 + (number * 31 % 17);
        return string.Create(CultureInfo.InvariantCulture, $"{{\"accuracy\": {Math.Round(accuracy, 4):R}, \"params\": {Math.Round(parameters, 3):R}, \"train_seconds\": {Math.Round(seconds, 1):R}}}");
    }

    public void Dispose()
    {
        Stop();
        Client.Dispose();
        _storage.Dispose();
    }
}
