using WeakNas.Cli;
using WeakNas.Spaces.NasBench101;
using WeakNas.Tests.Spaces.NasBench101;

namespace WeakNas.Tests.Cli;

public class SpaceCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Export_writes_every_cell_with_hash_padded_adjacency_and_ops()
    {
        using var dir = new TemporaryFolder();
        string cache = Path.Combine(dir.Path, "cache");
        EnumeratedSpace.WriteCache(cache);
        string csv = Path.Combine(dir.Path, "cells.csv");

        var (code, stdout, stderr) = Run("space", "export", "nb101", "--out", csv, "--cache", cache);
        Assert.True(code == 0, stderr);
        Assert.Contains("nb101: 423,624 cells loaded from", stdout);
        Assert.Contains($"wrote {csv}", stdout);

        var space = EnumeratedSpace.Value;
        int lines = 0;
        foreach (string line in File.ReadLines(csv))
        {
            if (lines == 0)
            {
                Assert.Equal("index,hash,adjacency,ops", line);
            }
            else if (lines % 5000 == 1)
            {
                int i = lines - 1;
                var fields = line.Split(',', 4);
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0]);
                Assert.Equal(space.HashAt(i).ToString(), fields[1]);
                Assert.Equal(49, fields[2].Length);
                Assert.Equal('"', fields[3][0]);
                var ops = fields[3].Trim('"').Split(',');
                // The padded matrix's top-left n×n block and the ops give the cell back.
                int n = ops.Length;
                var matrix = new int[n, n];
                for (int a = 0; a < n; a++)
                    for (int b = 0; b < n; b++)
                        matrix[a, b] = fields[2][a * 7 + b] - '0';
                Assert.Equal(space[i], NasBench101Cell.Create(matrix, ops));
                Assert.DoesNotContain('1', fields[2][(n * 7)..]);
            }
            lines++;
        }
        Assert.Equal(423_625, lines);
        Assert.Contains(File.ReadLines(csv), l => l.Contains(",02e5a0247bbdcf2860b7e96f74961594,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unknown space 'nb201'; expected one of nb101", "space", "export", "nb201", "--out", "x.csv")]
    [InlineData("--out", "space", "export", "nb101")]
    [InlineData("--bogus", "space", "export", "nb101", "--out", "x.csv", "--bogus")]
    public void User_errors_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void An_unwritable_output_is_one_line_and_exit_code_2()
    {
        using var dir = new TemporaryFolder();
        string cache = Path.Combine(dir.Path, "cache");
        EnumeratedSpace.WriteCache(cache);
        // A folder where the file should go: refused, not renamed over.
        string target = Path.Combine(dir.Path, "taken");
        Directory.CreateDirectory(target);
        var (code, _, stderr) = Run("space", "export", "nb101", "--out", target, "--cache", cache);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"weaknas: --out '{target}' is a directory: refusing to replace it with a file", stderr);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
