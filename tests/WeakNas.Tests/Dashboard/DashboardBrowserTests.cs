using System.Drawing;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using WeakNas.Studies;

namespace WeakNas.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium, checked by what a person sees on the page: the studies, the counts, values in
/// the table, the charts drawn, the failures and their reasons, and a trial told through the storage appearing without
/// a reload. WEAKNAS_SCREENSHOTS=DIR also writes screenshots of a realistic study there (docs/dashboard/ holds them).
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private ChromeDriver Driver => browser.Driver;

    private static string Text(ISearchContext page, string css) => page.FindElement(By.CssSelector(css)).Text;

    private static Size CanvasSize(ISearchContext page, string css) => page.FindElement(By.CssSelector(css)).Size;

    [ChromiumFact]
    public void The_studies_list_and_the_study_page_show_the_storage_and_a_trial_told_later_appears_without_a_reload()
    {
        using var host = new DashboardHost();
        var study = host.Nb201Study("cifar-random");
        host.Start(refreshMs: 1000);

        Driver.Navigate().GoToUrl(host.Address);
        var row = Chromium.Until(Driver, d => d.FindElement(By.CssSelector("#studies tr[data-study='cifar-random']")), "the study in the list");
        Assert.Contains("cifar-random", row.Text);
        Assert.Contains("nb201", row.Text);
        Assert.Contains("4 / 12", row.Text); // 3 complete and 1 failed of a budget of 12
        Assert.Contains("0.9062", row.Text); // the best value

        row.FindElement(By.LinkText("cifar-random")).Click();
        Chromium.Until(Driver, d => Text(d, "#count-total .n") == "6", "the trial count");
        Assert.Equal("cifar-random", Text(Driver, "h1"));
        Assert.Equal("3", Text(Driver, "#count-complete .n"));
        Assert.Equal("1", Text(Driver, "#count-failed .n"));
        Assert.Equal("1", Text(Driver, "#count-running .n"));
        Assert.Equal("1", Text(Driver, "#count-waiting .n"));
        Assert.Equal("0.9062", Text(Driver, "#best-value"));
        Assert.Contains("0.875", Text(Driver, "#trials tr[data-trial='1']"));
        Assert.Contains("complete", Text(Driver, "#trials tr[data-trial='1']"));
        Assert.Contains("running", Text(Driver, "#trials tr[data-trial='4']"));
        var history = CanvasSize(Driver, "#history canvas");
        Assert.True(history.Width > 0 && history.Height > 0, $"the history chart is {history}");
        Assert.Equal(DashboardHost.FailReason, Text(Driver, "#failures li[data-trial='2'] .reason"));
        Assert.Contains(DashboardHost.FailReason, Text(Driver, "#trials tr[data-trial='2']"));
        // A table lookup reports no second metric to weigh against, and nb201 is not a declared space.
        Assert.False(Driver.FindElement(By.Id("pareto-card")).Displayed);
        Assert.False(Driver.FindElement(By.Id("decisions-card")).Displayed);

        // Workers go on: trials 4 and 5 finish, the next batch is proposed, and its first trial completes.
        Assert.True(study.Tell(4, DashboardHost.Accuracy(DashboardHost.Nb201Values[4]), "w1"));
        Assert.Equal([5], study.Ask(1, "w2").Select(t => t.Number));
        Assert.True(study.Tell(5, DashboardHost.Accuracy(DashboardHost.Nb201Values[5]), "w2"));
        Assert.Equal([6], study.Ask(1, "w2").Select(t => t.Number));
        Assert.True(study.Tell(6, DashboardHost.Accuracy(0.9531), "w2"));

        // The page may catch the trial still running first: wait for what a person waits for, its value.
        Chromium.Until(Driver, d => Text(d, "#trials tr[data-trial='6']").Contains("0.9531", StringComparison.Ordinal), "the new trial's value in the table");
        Assert.Contains("w2", Text(Driver, "#trials tr[data-trial='6']"));
        Assert.Contains("complete", Text(Driver, "#trials tr[data-trial='6']"));
        Chromium.Until(Driver, d => Text(d, "#count-total .n") == "12", "the new batch in the counts");
        Assert.Equal("6", Text(Driver, "#count-complete .n"));
        Assert.Equal("0.9531", Text(Driver, "#best-value"));
    }

    [ChromiumFact]
    public void A_declared_study_shows_a_chart_per_decision_and_a_pareto_view_and_the_table_sorts_by_value_and_number()
    {
        using var host = new DashboardHost();
        host.DeclaredStudy("stages", complete: 20, failed: 2, running: 1, budget: 40);
        var trials = host.Storage.Trials("stages");
        host.Start(refreshMs: 1000);

        Driver.Navigate().GoToUrl(new Uri(host.Address, "study/stages"));
        Chromium.Until(Driver, d => Text(d, "#count-total .n") == "40", "the trial count");
        var space = WeakNas.Tests.Spaces.Declared.DeclaredSpaces.Stages;
        var decisions = Driver.FindElements(By.CssSelector("#decisions .decision"));
        Assert.Equal(space.Decisions.Select(d => d.Name), decisions.Select(d => d.GetAttribute("data-decision")));
        foreach (var d in decisions)
        {
            var size = d.FindElement(By.TagName("canvas")).Size;
            Assert.True(size.Width > 0 && size.Height > 0, $"decision {d.GetAttribute("data-decision")}: canvas {size}");
        }
        // Each decision's choices are named on its axis, with how many complete trials took them.
        var complete = trials.Where(t => t.State == TrialState.Complete).ToList();
        int mbconv = complete.Count(t => space.Parse(t.Arch)[2] == 2);
        Assert.Contains($"mbconv ({mbconv})", decisions[2].Text);

        // Pareto: accuracy against params (minimised) by default; the hint counts the non-dominated trials.
        Assert.True(Driver.FindElement(By.Id("pareto-card")).Displayed);
        var options = Driver.FindElements(By.CssSelector("#pareto-metric option")).Select(o => o.Text).ToList();
        Assert.Equal(["params", "train_seconds"], options);
        var points = complete.Select(t => (Value: t.Value!.Value, Params: Metric(t, "params"))).ToList();
        int front = points.Count(p => !points.Any(q => q.Value >= p.Value && q.Params <= p.Params && (q.Value > p.Value || q.Params < p.Params)));
        Assert.StartsWith($"{front} of {complete.Count} complete trials are non-dominated", Text(Driver, "#pareto-hint"));
        var pareto = CanvasSize(Driver, "#pareto canvas");
        Assert.True(pareto.Width > 0 && pareto.Height > 0);
        Assert.Equal(2, Driver.FindElements(By.CssSelector("#failures li")).Count);

        // Sorting: a value header sorts best first, a second click worst first; # sorts by number.
        var best = complete.OrderByDescending(t => t.Value).ThenBy(t => t.Number).First();
        var worst = complete.OrderBy(t => t.Value).ThenBy(t => t.Number).First();
        string First() => Driver.FindElement(By.CssSelector("#trials tbody tr")).GetAttribute("data-trial")!;
        Driver.FindElement(By.CssSelector("#trials th[data-key='value']")).Click();
        Assert.Equal(best.Number.ToString(CultureInfo.InvariantCulture), First());
        Driver.FindElement(By.CssSelector("#trials th[data-key='value']")).Click();
        Assert.Equal(worst.Number.ToString(CultureInfo.InvariantCulture), First());
        Driver.FindElement(By.CssSelector("#trials th[data-key='number']")).Click();
        Assert.Equal("39", First());
        Driver.FindElement(By.CssSelector("#trials th[data-key='number']")).Click();
        Assert.Equal("0", First());
    }

    [ChromiumFact]
    public void An_unknown_study_shows_that_there_is_none_of_that_name()
    {
        using var host = new DashboardHost();
        host.Start(refreshMs: 1000);
        Driver.Navigate().GoToUrl(new Uri(host.Address, "study/nope"));
        Chromium.Until(Driver, d => d.FindElement(By.Id("error")).Displayed, "the error");
        Assert.Contains("no study named 'nope' in this storage", Text(Driver, "#error"));
        Assert.False(Driver.FindElement(By.Id("study")).Displayed);
    }

    /// <summary>
    /// A realistic storage (a declared-space study of 80 trials: 60 complete with accuracy, params and train_seconds, 4
    /// failed, 4 running; and an nb201 study) rendered in full; with WEAKNAS_SCREENSHOTS=DIR, screenshots of both pages to
    /// DIR/studies.png and DIR/study.png (the ones in docs/dashboard/ come from this).
    /// </summary>
    [ChromiumFact]
    public void A_realistic_study_renders_every_view_and_screenshots_are_written_when_asked()
    {
        using var host = new DashboardHost();
        host.DeclaredStudy("stages-random", complete: 60, failed: 4, running: 4, budget: 80);
        host.Nb201Study("nb201-cifar10");
        // A WeakNAS study its circuit breaker paused: the first trials all failed.
        var paused = Study.Create(host.Storage, WeakNas.Tests.Studies.StudyFixtures.WeakNasSpec("nb201-weaknas"));
        foreach (var t in paused.Ask(5, "node-2")) Assert.True(paused.Fail(t.Number, "evaluation command exited with code 2: train.py: error: unrecognized arguments", "node-2"));
        paused.Pause("the last 5 finished trials failed");
        host.Start(refreshMs: 1000, label: "sqlite:///studies.db");
        string? folder = Environment.GetEnvironmentVariable("WEAKNAS_SCREENSHOTS") is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;
        if (folder != null) Directory.CreateDirectory(folder);
        try
        {
            Driver.Manage().Window.Size = new Size(1280, 520);
            Driver.Navigate().GoToUrl(host.Address);
            Chromium.Until(Driver, d => d.FindElements(By.CssSelector("#studies tbody tr")).Count == 3, "the three studies");
            Assert.Contains("paused", Text(Driver, "#studies tr[data-study='nb201-weaknas']"));
            if (folder != null) Shoot(Path.Combine(folder, "studies.png"));

            Driver.Navigate().GoToUrl(new Uri(host.Address, "study/stages-random"));
            Chromium.Until(Driver, d => Text(d, "#count-complete .n") == "60", "the counts");
            Assert.Equal("4", Text(Driver, "#count-failed .n"));
            Assert.Equal(4, Driver.FindElements(By.CssSelector("#failures li")).Count);
            Assert.Equal(80, Driver.FindElements(By.CssSelector("#trials tbody tr")).Count);
            Assert.Equal(10, Driver.FindElements(By.CssSelector("#decisions canvas")).Count);
            Assert.True(Driver.FindElement(By.Id("pareto-card")).Displayed);
            if (folder != null)
            {
                int height = Convert.ToInt32(Driver.ExecuteScript("return document.documentElement.scrollHeight;"), CultureInfo.InvariantCulture);
                Driver.Manage().Window.Size = new Size(1280, Math.Min(height + 40, 6000));
                // The charts follow the new width: wait for the page to settle after the resize.
                Chromium.Until(Driver, d => d.FindElement(By.CssSelector("#history canvas")).Size.Width > 0, "the history chart");
                Shoot(Path.Combine(folder, "study.png"));
            }
        }
        finally
        {
            Driver.Manage().Window.Size = new Size(1280, 1000);
        }
    }

    private void Shoot(string path) => Driver.GetScreenshot().SaveAsFile(path);

    private static double Metric(Trial t, string name) =>
        System.Text.Json.JsonDocument.Parse(t.Metrics!).RootElement.GetProperty(name).GetDouble();
}
