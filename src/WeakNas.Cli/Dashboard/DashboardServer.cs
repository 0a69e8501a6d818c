using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeakNas.Studies;

namespace WeakNas.Cli.Dashboard;

/// <summary>
/// The dashboard's web server: Kestrel on one address, GET only, serving the page (HTML, JS, CSS and the vendored uPlot,
/// all embedded in this assembly) and the JSON of <see cref="DashboardData"/>. The storage is shared by the requests:
/// every <see cref="IStudyStorage"/> is safe to call from many threads (the SQL ones open a pooled connection per
/// operation; the memory one locks). Nothing is written to it.
/// </summary>
internal sealed class DashboardServer : IDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The address it listens on, with the port it bound (the free one <c>--port 0</c> picked).</summary>
    public Uri Url { get; }

    /// <summary>Starts listening; an <see cref="InvalidInputException"/> naming the option when the address cannot be bound (a port in use).</summary>
    public static DashboardServer Start(IStudyStorage storage, DashboardSettings settings, IPAddress host, int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(host, port);
            k.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        // No console logging (the command prints its own lines), and no Ctrl-C handling of the host's: the command owns it.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        var app = builder.Build();
        app.Use(Guard(host));
        Map(app, storage, settings);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            ((IDisposable)app).Dispose();
            string where = port == 0 ? $"{Format(host)} (a free port)" : $"{Format(host)}:{port}";
            if (e.InnerException is AddressInUseException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
                throw new InvalidInputException($"--port {port}: {where} is already in use; choose another port with --port, or --port 0 for a free one", e);
            throw new InvalidInputException($"--host {host}, --port {port}: cannot listen on {where}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server reports no address");
        return new DashboardServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    private static string Format(IPAddress host) => host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();

    /// <summary>
    /// GET and HEAD only; and, bound to a loopback address, requests naming this machine only (a web page elsewhere whose
    /// name was pointed at 127.0.0.1, DNS rebinding, cannot read the studies). Every answer says what it is and is not cached.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> Guard(IPAddress host) => (context, next) =>
    {
        var response = context.Response;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            return Error(context, StatusCodes.Status405MethodNotAllowed, "the dashboard is read-only: GET only");
        }
        if (IPAddress.IsLoopback(host) && !IsLocalName(context.Request.Host.Host))
            return Error(context, StatusCodes.Status400BadRequest, "this dashboard answers requests for localhost only");
        return next(context);
    };

    private static bool IsLocalName(string name) =>
        name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(name.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static void Map(WebApplication app, IStudyStorage storage, DashboardSettings settings)
    {
        Get(app, "/", context => Page(context, "index.html"));
        Get(app, "/study/{**name}", context => Page(context, "study.html"));
        Get(app, "/static/{**file}", context => Page(context, (string)context.Request.RouteValues["file"]!));
        Get(app, "/api/studies", context => Json(context, () => (StatusCodes.Status200OK, DashboardData.Studies(storage, settings))));
        Get(app, "/api/studies/{**name}", context =>
        {
            string name = StudyName(context, "/api/studies/");
            var fromText = context.Request.Query["from"].ToString();
            int from = 0;
            if (fromText.Length > 0 && !int.TryParse(fromText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out from))
                return Error(context, StatusCodes.Status400BadRequest, $"from: '{fromText}' is not a trial number");
            return Json(context, () => DashboardData.Study(storage, name, from, settings) is { } study
                ? (StatusCodes.Status200OK, study)
                : (StatusCodes.Status404NotFound, new JsonObject { ["error"] = $"no study named '{name}' in this storage" }));
        });
        app.MapFallback(context => Error(context, StatusCodes.Status404NotFound, $"nothing at {context.Request.Path}"));
    }

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    private static void Get(WebApplication app, string pattern, RequestDelegate handler) => app.MapMethods(pattern, GetAndHead, handler);

    /// <summary>The study name from the path as the client sent it, decoded once (a name may hold '/', sent as %2F).</summary>
    private static string StudyName(HttpContext context, string prefix)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0) raw = raw[..query];
        return Uri.UnescapeDataString(raw.StartsWith(prefix, StringComparison.Ordinal) ? raw[prefix.Length..] : raw);
    }

    private static async Task Json(HttpContext context, Func<(int Status, JsonObject Body)> read)
    {
        (int status, JsonObject body) answer;
        try
        {
            answer = read();
        }
        catch (Exception e) when (e is InvalidInputException or IOException or System.Data.Common.DbException or InvalidOperationException)
        {
            // The storage went away or refused (a locked or deleted file, a server down): the page says so and tries again.
            await Error(context, StatusCodes.Status503ServiceUnavailable, "storage: " + e.Message.ReplaceLineEndings(" "));
            return;
        }
        context.Response.StatusCode = answer.status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.body.ToJsonString(Readable));
    }

    /// <summary>Architectures hold quotes: written as they are (the answers are JSON, never HTML), so that they read well with curl.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(new JsonObject { ["error"] = message }.ToJsonString(Readable));
    }

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml", [".png"] = "image/png", [".md"] = "text/plain; charset=utf-8", [""] = "text/plain; charset=utf-8",
    };

    /// <summary>The page's files as embedded resources (dashboard/…), by their path under Dashboard/wwwroot.</summary>
    private static readonly Dictionary<string, string> Resources = typeof(DashboardServer).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal) || n.StartsWith("dashboard\\", StringComparison.Ordinal))
        .ToDictionary(n => n["dashboard/".Length..].Replace('\\', '/'), n => n, StringComparer.Ordinal);

    internal static IReadOnlyCollection<string> Files => Resources.Keys;

    private static async Task Page(HttpContext context, string file)
    {
        if (!Resources.TryGetValue(file, out string? resource) || !ContentTypes.TryGetValue(Path.GetExtension(file), out string? type))
        {
            await Error(context, StatusCodes.Status404NotFound, $"no file {file}");
            return;
        }
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        context.Response.ContentType = type;
        context.Response.ContentLength = stream.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await stream.CopyToAsync(context.Response.Body);
    }

    /// <summary>Stops listening; requests under way get a moment to finish.</summary>
    public void Dispose()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            _app.StopAsync(grace.Token).GetAwaiter().GetResult();
        }
        finally
        {
            _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>A host lifetime that does nothing: the command starts and stops the server (and handles Ctrl-C) itself.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
