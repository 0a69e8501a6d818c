using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace WeakNas.Tests.Dashboard;

/// <summary>
/// Debian's headless Chromium and its chromedriver, driven by Selenium with both paths given, so that Selenium Manager
/// never runs (it would look for, and download, a browser and a driver). CI installs both and sets
/// WEAKNAS_REQUIRE_CHROMIUM=1, so that the browser tests fail there rather than skip.
/// </summary>
internal static class Chromium
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";
    public const string RequireVariable = "WEAKNAS_REQUIRE_CHROMIUM";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Missing =>
        !File.Exists(Browser) ? $"{Browser} is missing (apt-get install chromium chromium-driver)"
        : !File.Exists(Driver) ? $"{Driver} is missing (apt-get install chromium-driver)"
        : null;

    /// <summary>A headless Chromium of the given window size (no sandbox: the tests run as root), reaching nothing but this machine.</summary>
    public static ChromeDriver Start(int width = 1280, int height = 1000)
    {
        if (Missing is { } why) Assert.Fail($"{RequireVariable}=1 but {why}");
        // Belt and braces: should anything reach Selenium Manager, it may not download.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--lang=en-US", "--no-pings", "--disable-domain-reliability",
            "--disable-client-side-phishing-detection", "--disable-features=OptimizationHints,OptimizationGuideModelDownloading,MediaRouter,Translate",
            // Chromium still looks up its own services (updates, accounts) despite the switches above: every name but the
            // loopback's resolves to nothing, so not even a DNS query leaves the machine.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    /// <summary>Waits, up to a generous timeout, until the condition holds (a page updating itself: no claim about how fast).</summary>
    public static T Until<T>(IWebDriver driver, Func<IWebDriver, T> condition, string what, double seconds = 20)
    {
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(200), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }
}

/// <summary>A test that needs headless Chromium: skipped without it, unless WEAKNAS_REQUIRE_CHROMIUM=1 (then it fails).</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Missing is { } why && !Chromium.Required) Skip = why + $"; set {Chromium.RequireVariable}=1 to fail instead";
    }
}

/// <summary>One browser for the tests of a class (starting Chromium is the slow part), closed after them.</summary>
public sealed class BrowserFixture : IDisposable
{
    private ChromeDriver? _driver;

    internal ChromeDriver Driver => _driver ??= Chromium.Start();

    public void Dispose() => _driver?.Quit();
}

public class ChromiumRequirementTests
{
    [Fact]
    public void Chromium_and_its_driver_are_installed_when_required()
    {
        if (!Chromium.Required) return;
        Assert.True(Chromium.Missing == null, $"{Chromium.RequireVariable}=1 but {Chromium.Missing}: the browser tests would be skipped");
    }
}
