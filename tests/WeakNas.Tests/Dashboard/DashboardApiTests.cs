using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using WeakNas.Studies;
using WeakNas.Tests.Cli;
using WeakNas.Tests.Studies;

namespace WeakNas.Tests.Dashboard;

/// <summary>The dashboard's JSON and files over HTTP, against a real SQLite study; and the command's errors.</summary>
public sealed class DashboardApiTests
{
    [Fact]
    public void The_studies_list_gives_each_study_with_its_counts_best_trial_and_pause()
    {
        using var host = new DashboardHost();
        host.Nb201Study("b-nb201");
        host.DeclaredStudy("a-declared", complete: 5, failed: 0, running: 0, budget: 10);
        host.Storage.SetPaused("a-declared", "the last 5 trials failed", 0);
        host.Start();

        var (status, json) = host.Get("api/studies");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(host.Url, json.GetProperty("storage").GetString());
        var studies = json.GetProperty("studies").EnumerateArray().ToList();
        Assert.Equal(["a-declared", "b-nb201"], studies.Select(s => s.GetProperty("name").GetString()));
        var nb = studies[1];
        Assert.Equal("nb201", nb.GetProperty("space").GetString());
        Assert.False(nb.GetProperty("declared").GetBoolean());
        Assert.Equal("random", nb.GetProperty("strategy").GetString());
        Assert.Equal(12, nb.GetProperty("budget").GetInt32());
        var counts = nb.GetProperty("status");
        Assert.Equal((6, 3, 1, 1, 1), (counts.GetProperty("total").GetInt32(), counts.GetProperty("complete").GetInt32(), counts.GetProperty("failed").GetInt32(),
            counts.GetProperty("running").GetInt32(), counts.GetProperty("waiting").GetInt32()));
        Assert.Equal(3, counts.GetProperty("best").GetProperty("number").GetInt32());
        Assert.Equal(DashboardHost.Nb201Values[3], counts.GetProperty("best").GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.Null, counts.GetProperty("paused").ValueKind);
        Assert.Equal("the last 5 trials failed", studies[0].GetProperty("status").GetProperty("paused").GetString());
        Assert.True(studies[0].GetProperty("declared").GetBoolean());
    }

    [Fact]
    public void A_study_gives_its_spec_status_and_every_trial_with_state_value_metrics_duration_and_error()
    {
        using var host = new DashboardHost();
        host.Nb201Study("s");
        host.Start();

        var (status, json) = host.Get("api/studies/s");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("s", json.GetProperty("name").GetString());
        Assert.Equal(3UL, json.GetProperty("spec").GetProperty("seed").GetUInt64());
        Assert.Equal("accuracy", json.GetProperty("metric").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("decisions").ValueKind);
        // The study's metric is the value; the other metrics are listed (none here: the Pareto view has nothing to offer).
        Assert.Empty(json.GetProperty("metrics").EnumerateArray());
        var trials = json.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5], trials.Select(t => t.GetProperty("number").GetInt32()));
        Assert.Equal(["complete", "complete", "failed", "complete", "running", "waiting"], trials.Select(t => t.GetProperty("state").GetString()));
        Assert.Equal(DashboardHost.Nb201Values[1], trials[1].GetProperty("value").GetDouble());
        Assert.Equal(DashboardHost.Nb201Values[1], trials[1].GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(DashboardHost.FailReason, trials[2].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, trials[2].GetProperty("value").ValueKind);
        var stored = host.Storage.Trials("s");
        Assert.Equal(stored[1].FinishedMs - stored[1].StartedMs, trials[1].GetProperty("duration_ms").GetInt64());
        Assert.Equal(JsonValueKind.Null, trials[4].GetProperty("duration_ms").ValueKind);
        Assert.Equal("w1", trials[4].GetProperty("worker").GetString());
        Assert.Equal(1, trials[4].GetProperty("attempts").GetInt32());
        Assert.Equal(stored[3].Arch, trials[3].GetProperty("arch").GetString());

        // from=N: the trials numbered N and up (the counts stay those of the whole study).
        var (_, later) = host.Get("api/studies/s?from=3");
        Assert.Equal([3, 4, 5], later.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        Assert.Equal(6, later.GetProperty("status").GetProperty("total").GetInt32());
        var (bad, error) = host.Get("api/studies/s?from=x");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("from", error.GetProperty("error").GetString());
    }

    [Fact]
    public void A_declared_study_gives_its_decisions_each_trials_choices_and_the_other_reported_metrics()
    {
        using var host = new DashboardHost();
        host.DeclaredStudy("d", complete: 6, failed: 0, running: 0, budget: 10);
        host.Start();

        var (_, json) = host.Get("api/studies/d");
        var space = WeakNas.Tests.Spaces.Declared.DeclaredSpaces.Stages;
        var decisions = json.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(space.Decisions.Select(d => d.Name), decisions.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(["conv3x3", "conv5x5", "mbconv"], decisions[2].GetProperty("choices").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["params", "train_seconds"], json.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.All(json.GetProperty("metrics").EnumerateArray(), m => Assert.True(m.GetProperty("numeric").GetBoolean()));
        foreach (var t in json.GetProperty("trials").EnumerateArray())
        {
            var arch = space.Parse(t.GetProperty("arch").GetString()!);
            Assert.Equal(Enumerable.Range(0, space.Decisions.Count).Select(d => arch[d]), t.GetProperty("choices").EnumerateArray().Select(c => c.GetInt32()));
        }
        Assert.False(json.GetProperty("spec").TryGetProperty("declaration", out _));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("a/b")]
    [InlineData("50% ü")]
    public void An_unknown_study_is_a_404_with_a_json_error_naming_it_and_names_with_slashes_or_percents_are_found(string name)
    {
        using var host = new DashboardHost();
        host.Nb201Study(name == "nope" ? "other" : name);
        host.Start();

        var (status, json) = host.Get("api/studies/" + Uri.EscapeDataString(name));
        if (name == "nope")
        {
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("no study named 'nope' in this storage", json.GetProperty("error").GetString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(name, json.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task The_page_and_its_scripts_styles_and_uplot_are_served_from_the_tool()
    {
        using var host = new DashboardHost();
        host.Start();
        foreach (var (path, type, holds) in new[]
        {
            ("", "text/html", "<title>Studies"),
            ("study/any-name", "text/html", "/static/study.js"),
            ("static/study.js", "text/javascript", "uPlot"),
            ("static/dashboard.css", "text/css", ".card"),
            ("static/vendor/uplot/uPlot.iife.min.js", "text/javascript", "uPlot"),
            ("static/vendor/uplot/uPlot.min.css", "text/css", ".uplot"),
        })
        {
            using var response = await host.Client.GetAsync(new Uri(host.Address, path));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            Assert.StartsWith(type, response.Content.Headers.ContentType?.ToString());
            Assert.Contains(holds, await response.Content.ReadAsStringAsync());
        }
        using var missing = await host.Client.GetAsync(new Uri(host.Address, "static/nothing.js"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // Every file the page loads is one of the tool's: nothing from a CDN.
        foreach (string page in new[] { "", "study/x" })
        {
            string html = await host.Client.GetStringAsync(new Uri(host.Address, page));
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.DoesNotContain("//cdn", html);
        }
    }

    [Fact]
    public async Task It_answers_get_only_and_requests_for_localhost_only()
    {
        using var host = new DashboardHost();
        host.Nb201Study("s");
        host.Start();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            using var request = new HttpRequestMessage(method, new Uri(host.Address, "api/studies/s")) { Content = new StringContent("{}") };
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, "api/studies")))
        {
            request.Headers.Host = "attacker.example";
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, "api/studies")))
        {
            request.Headers.Host = "localhost:" + host.Address.Port;
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(6, host.Storage.Trials("s").Count);
    }

    /// <summary>The file's bytes after every connection closed (a closing connection folds the write-ahead log into the file).</summary>
    private static string Hash(string file)
    {
        WeakNas.Studies.SqliteStudyStorage.ClosePooled(file);
        Assert.False(File.Exists(file + "-wal") && new FileInfo(file + "-wal").Length > 0, "a write-ahead log is left");
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
    }

    [Fact]
    public void Serving_pages_and_json_writes_nothing_to_the_storage()
    {
        using var host = new DashboardHost();
        host.Nb201Study("s");
        host.DeclaredStudy("d", complete: 4, failed: 1, running: 1, budget: 10);
        string before = Hash(host.FilePath);
        host.Start();
        foreach (string path in new[] { "api/studies", "api/studies/s", "api/studies/d", "api/studies/d?from=2", "api/studies/nope" }) host.Get(path);
        host.Stop();
        Assert.Equal(before, Hash(host.FilePath));
    }

    [Fact]
    public async Task The_command_prints_the_address_it_bound_serves_there_and_stops_by_itself_with_exit_after()
    {
        using var host = new DashboardHost();
        host.Nb201Study("s");
        var output = new StringWriter();
        int code = -1;
        var run = new Thread(() => code = WeakNas.Cli.WeakNasCli.Run(["dashboard", "--storage", host.Url, "--port", "0", "--exit-after", "30"], SyncWriter(output), TextWriter.Null));
        run.Start();
        Assert.True(StudyFixtures.WaitFor(() => Printed(output).Contains("http://", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), Printed(output));
        var url = new Uri(System.Text.RegularExpressions.Regex.Match(Printed(output), @"http://\S+/").Value);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        string json = await host.Client.GetStringAsync(new Uri(url, "api/studies"));
        Assert.Contains("\"name\":\"s\"", json);
        Assert.True(run.Join(TimeSpan.FromSeconds(60)), "the dashboard did not stop after --exit-after");
        Assert.Equal(0, code);
        Assert.Contains("stopped", Printed(output));
    }

    private static TextWriter SyncWriter(StringWriter w) => TextWriter.Synchronized(w);

    private static string Printed(StringWriter w)
    {
        lock (w) return w.ToString();
    }

    [Fact]
    public async Task Ctrl_c_stops_the_server_cleanly()
    {
        using var host = new DashboardHost();
        host.Nb201Study("s");
        using var process = new CliProcess("dashboard", "--storage", host.Url, "--port", "0");
        Assert.True(StudyFixtures.WaitFor(() => process.Stdout.Contains("http://", StringComparison.Ordinal) || process.HasExited, TimeSpan.FromSeconds(60)), process.ToString());
        var url = new Uri(System.Text.RegularExpressions.Regex.Match(process.Stdout, @"http://\S+/").Value);
        Assert.Contains("\"name\":\"s\"", await host.Client.GetStringAsync(new Uri(url, "api/studies")));
        process.Signal(2); // SIGINT, as Ctrl-C
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), process.ToString());
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("weaknas dashboard: stopped", process.Stdout);
        Assert.Equal("", process.Stderr);
        // Nothing listens there any more.
        using var probe = new TcpClient();
        Assert.ThrowsAny<SocketException>(() => probe.Connect(IPAddress.Loopback, url.Port));
    }

    [Fact]
    public void A_port_in_use_is_one_line_naming_the_port_and_exit_2()
    {
        using var host = new DashboardHost();
        host.Nb201Study("s");
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var result = CliRunner.Run("dashboard", "--storage", host.Url, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--exit-after", "5");
            CliRunner.AssertOneLineError(result, $"--port {port}: 127.0.0.1:{port} is already in use");
        }
        finally
        {
            taken.Stop();
        }
    }

    [Theory]
    [InlineData("mysql://x/y", "unknown scheme 'mysql:'")]
    [InlineData("sqlite:", "storage 'sqlite:'")]
    [InlineData("MISSING", "no such file")]
    [InlineData("sqlite:///MISSING", "no such file")] // MISSING is absolute: four slashes in all
    public void A_bad_storage_is_one_line_and_exit_2_before_anything_listens(string url, string expected)
    {
        using var dir = new TemporaryFolder();
        url = url.Replace("MISSING", Path.Combine(dir.Path, "typo.db"), StringComparison.Ordinal);
        var result = CliRunner.Run("dashboard", "--storage", url, "--port", "0", "--exit-after", "5");
        CliRunner.AssertOneLineError(result, expected);
        // A mistyped SQLite path is not created as an empty database.
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("--host", "example.org", "--host 'example.org' is not an IP address or localhost")]
    [InlineData("--host", "", "--host '' is not an IP address")]
    [InlineData("--host", "1", "--host '1' is not an IP address")]
    [InlineData("--port", "65536", "--port must be between 0 and 65535, got 65536")]
    [InlineData("--port", "-1", "--port must be between 0 and 65535, got -1")]
    [InlineData("--refresh", "0.1", "--refresh must be between 0.5 and 3600 seconds, got 0.1")]
    public void Bad_options_are_one_line_naming_the_option_and_exit_2(string option, string value, string expected)
    {
        using var host = new DashboardHost();
        string[] port = option == "--port" ? [] : ["--port", "0"];
        var result = CliRunner.Run(["dashboard", "--storage", host.Url, .. port, "--exit-after", "5", option, value]);
        CliRunner.AssertOneLineError(result, expected);
    }

    [Fact]
    public void Hosts_parse_as_addresses()
    {
        Assert.Equal(IPAddress.Loopback, WeakNas.Cli.Dashboard.DashboardCommand.Address("localhost"));
        Assert.Equal(IPAddress.Loopback, WeakNas.Cli.Dashboard.DashboardCommand.Address("127.0.0.1"));
        Assert.Equal(IPAddress.IPv6Loopback, WeakNas.Cli.Dashboard.DashboardCommand.Address("::1"));
        Assert.Equal(IPAddress.IPv6Loopback, WeakNas.Cli.Dashboard.DashboardCommand.Address("[::1]"));
        Assert.Equal(IPAddress.Any, WeakNas.Cli.Dashboard.DashboardCommand.Address("0.0.0.0"));
    }
}
