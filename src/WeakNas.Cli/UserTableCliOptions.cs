using System.CommandLine;
using WeakNas.Spaces;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Spaces.Declared;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Cli;

/// <summary>The options of a declared space searched over a user table: `--space FILE --table FILE --metric COLUMN`.</summary>
internal sealed class UserTableCliOptions
{
    private readonly Option<string?> _metric = new("--metric") { Description = $"A declared space: the table's column, or the key of the training command's JSON, to maximise (default {DeclaredSetup.DefaultMetric})." };
    private readonly Option<string?> _reportMetric = new("--report-metric") { Description = "A declared space's table: the column reported beside it, e.g. a test accuracy (default: --metric)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_metric);
        command.Options.Add(_reportMetric);
    }

    /// <summary>True when <paramref name="space"/> is a built-in name or a declaration file; else a one-line error.</summary>
    public static bool IsDeclared(string space)
    {
        if (DeclaredSpaceFile.IsDeclaration(space)) return true;
        SpaceRegistry.Get(space);
        return false;
    }

    /// <summary>NAS-Bench-201 results of your own: a CSV whose arch (or arch_str) column holds each cell's text form.</summary>
    public UserTableBenchmark<NasBench201Cell> LoadNasBench201(ParseResult parse, string table) =>
        UserTableBenchmark.LoadTextForm(NasBench201Space.Instance, table, Metric(parse), parse.GetValue(_reportMetric));

    /// <summary>Checks that --metric/--report-metric are given only with a table of one's own.</summary>
    public void CheckUnused(ParseResult parse, string space)
    {
        foreach (var option in new Option[] { _metric, _reportMetric })
            if (parse.GetResult(option) is { Implicit: false })
                throw new InvalidInputException($"{option.Name} applies to a declared space's table (--space FILE --table FILE), not to {space}");
    }

    /// <summary>Checks that --report-metric is given only with a table (a training command reports what it reports).</summary>
    public void CheckReportUnused(ParseResult parse, string space)
    {
        if (parse.GetResult(_reportMetric) is { Implicit: false })
            throw new InvalidInputException($"{_reportMetric.Name} applies to a table (--table FILE), not to {space} trained by --evaluate");
    }

    /// <summary>The metric reported beside it: --report-metric, else null (the search metric).</summary>
    public string? ReportMetric(ParseResult parse) => parse.GetValue(_reportMetric);

    /// <summary>The metric to maximise: --metric, else the default.</summary>
    public string Metric(ParseResult parse) => parse.GetValue(_metric) ?? DeclaredSetup.DefaultMetric;

    public UserTableBenchmark<DeclaredArchitecture> Load(ParseResult parse, string spaceFile, string? table) =>
        DeclaredSetup.Load(spaceFile, table, parse.GetValue(_metric), parse.GetValue(_reportMetric));
}
