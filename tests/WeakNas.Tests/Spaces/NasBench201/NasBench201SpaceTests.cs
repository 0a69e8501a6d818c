using WeakNas.Numerics;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Tests.Spaces.NasBench201;

public class NasBench201SpaceTests
{
    private const string Index0 =
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";

    private static readonly NasBench201Space Space = NasBench201Space.Instance;

    private static NasBench201Cell P(string text) => NasBench201Cell.Parse(text);

    [Fact]
    public void Space_Has15625DistinctCells()
    {
        Assert.Equal("nb201", Space.Name);
        Assert.Equal(15625, Space.Count);
        var seen = new HashSet<NasBench201Cell>();
        for (int i = 0; i < Space.Count; i++)
        {
            Assert.True(seen.Add(Space[i]), $"index {i} repeats a cell");
        }
    }

    [Fact]
    public void Index0_IsTheBenchmarksFirstCell()
    {
        Assert.Equal(Index0, Space[0].Format());
        Assert.Equal(0, Space.IndexOf(P(Index0)));
    }

    [Fact]
    public void IndexOf_InvertsIndexer()
    {
        for (int i = 0; i < Space.Count; i++)
        {
            Assert.Equal(i, Space.IndexOf(Space[i]));
        }
    }

    [Fact]
    public void Indexer_RejectsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Space[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Space[15625]);
    }

    [Fact]
    public void Ordering_MatchesBenchmarkCsv()
    {
        string path = Path.Combine(TestData.Folder, "nasbench201", "nb201_means_200ep.csv");
        Assert.True(File.Exists(path), $"benchmark table not found at {path}; set WEAKNAS_DATA to the data folder");
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int indexColumn = Array.IndexOf(header, "index");
        int archColumn = Array.IndexOf(header, "arch_str");
        Assert.True(indexColumn >= 0 && archColumn >= 0, "CSV header lacks index/arch_str");
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        Assert.Equal(Space.Count, rows.Length);
        foreach (string line in rows)
        {
            string[] fields = line.Split(',');
            int index = int.Parse(fields[indexColumn], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(fields[archColumn], Space[index].Format());
        }
    }

    [Fact]
    public void ParseFormat_RoundTripsEveryCell()
    {
        for (int code = 0; code < NasBench201Cell.CellCount; code++)
        {
            var cell = NasBench201Cell.FromCode(code);
            string text = Space.Format(cell);
            Assert.Equal(cell, Space.Parse(text));
            Assert.Equal(text, cell.ToString());
        }
    }

    [Fact]
    public void Parse_TrimsOuterWhitespace()
    {
        Assert.Equal(P(Index0), P("  \t" + Index0 + "\r\n"));
    }

    [Fact]
    public void Code_IsBase5WithEdge0MostSignificant()
    {
        var cell = new NasBench201Cell(
            NasBench201Op.AvgPool3x3, NasBench201Op.None, NasBench201Op.None,
            NasBench201Op.None, NasBench201Op.None, NasBench201Op.SkipConnect);
        Assert.Equal(4 * 3125 + 1, cell.Code);
        Assert.Equal(NasBench201Op.AvgPool3x3, cell[0]);
        Assert.Equal(NasBench201Op.SkipConnect, cell[5]);
        Assert.Equal("|avg_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|", cell.Format());
        Assert.Equal(NasBench201Op.Conv3x3, cell.With(2, NasBench201Op.Conv3x3)[2]);
        Assert.Equal(2, NasBench201Cell.EdgeIndex(1, 2));
        Assert.Equal((1, 3), (NasBench201Cell.EdgeSource(4), NasBench201Cell.EdgeTarget(4)));
    }

    [Theory]
    [InlineData("", "empty string")]
    [InlineData("   ", "empty string")]
    [InlineData("|none~0|+|none~0|none~1|", "has 2 nodes separated by '+', expected 3")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|", "has 4 nodes separated by '+', expected 3")]
    [InlineData("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "node 1 'none~0|' is missing the '|' delimiter at its start")]
    [InlineData("|none~0+|none~0|none~1|+|none~0|none~1|none~2|", "node 1 '|none~0' is missing the '|' delimiter at its end")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2", "node 3 '|none~0|none~1|none~2' is missing the '|' delimiter at its end")]
    [InlineData("|none~0|++|none~0|none~1|none~2|", "node 2 '' is missing the '|' delimiter at its start")]
    [InlineData("|none~0| + |none~0|none~1|+|none~0|none~1|none~2|", "node 1 '|none~0| ' is missing the '|' delimiter at its end")]
    [InlineData("|none~0|+|none~0|none~1|none~2|+|none~0|none~1|none~2|", "node 2 has 3 inputs, expected 2")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|", "node 3 has 2 inputs, expected 3")]
    [InlineData("|none~0|+|none~0||+|none~0|none~1|none~2|", "node 2 input 1 is empty")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|conv~1|none~2|",
        "unknown op 'conv' at node 3 input 1; expected one of none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3")]
    [InlineData("|None~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown op 'None' at node 1 input 0")]
    [InlineData("| none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown op ' none' at node 1 input 0")]
    [InlineData("|none~5|+|none~0|none~1|+|none~0|none~1|none~2|",
        "input 'none~5' of node 1 refers to node 5; node 1 takes inputs from nodes 0..0")]
    [InlineData("|none~0|+|none~0|none~2|+|none~0|none~1|none~2|", "input 'none~2' of node 2 refers to node 2; node 2 takes inputs from nodes 0..1")]
    [InlineData("|none0|+|none~0|none~1|+|none~0|none~1|none~2|", "input 'none0' of node 1 has no '~'")]
    [InlineData("|none~x|+|none~0|none~1|+|none~0|none~1|none~2|", "input 'none~x' of node 1: source 'x' is not a node number")]
    [InlineData("|none~|+|none~0|none~1|+|none~0|none~1|none~2|", "source '' is not a node number")]
    [InlineData("|none~00|+|none~0|none~1|+|none~0|none~1|none~2|", "source '00' is not a node number")]
    [InlineData("|none~ 0|+|none~0|none~1|+|none~0|none~1|none~2|", "source ' 0' is not a node number")]
    [InlineData("|none~0|+|none~1|none~0|+|none~0|none~1|none~2|",
        "input 'none~1' is input 0 of node 2 but refers to node 1; inputs must be listed in source order")]
    public void Parse_RejectsMalformedStrings_WithMessageNamingTheProblem(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Space.Parse(text));
        Assert.StartsWith($"NAS-Bench-201 cell '{text}': ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CanonicalKey_Has6466Classes()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        int longest = 0;
        for (int i = 0; i < Space.Count; i++)
        {
            string key = Space.CanonicalKey(Space[i]);
            keys.Add(key);
            longest = Math.Max(longest, key.Length);
        }
        Assert.Equal(6466, keys.Count);
        Assert.True(longest <= 64, $"longest key has {longest} characters");
    }

    [Fact]
    public void CanonicalKey_DisconnectedCellsShareTheAllNoneKey()
    {
        string allNone = Space.CanonicalKey(P("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        // Node 1 is dead, node 2 is live but never reaches node 3.
        string other = Space.CanonicalKey(P("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|none~0|nor_conv_3x3~1|none~2|"));
        Assert.Equal(allNone, other);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("skip_connect")]
    [InlineData("nor_conv_1x1")]
    [InlineData("nor_conv_3x3")]
    [InlineData("avg_pool_3x3")]
    public void CanonicalKey_IgnoresEdgesThatDoNotReachTheOutput(string op)
    {
        // Edge 1→2 feeds node 2, whose only way out (2→3) is none.
        string reference = Space.CanonicalKey(P("|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"));
        Assert.Equal(reference, Space.CanonicalKey(P($"|nor_conv_3x3~0|+|nor_conv_1x1~0|{op}~1|+|skip_connect~0|nor_conv_3x3~1|none~2|")));

        // Edges 1→2 and 1→3 leave node 1, which only receives a none edge.
        string deadSource = Space.CanonicalKey(P("|none~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|"));
        Assert.Equal(deadSource, Space.CanonicalKey(P($"|none~0|+|nor_conv_1x1~0|{op}~1|+|skip_connect~0|{op}~1|nor_conv_3x3~2|")));
    }

    [Fact]
    public void CanonicalKey_SwappingNodes1And2GivesTheSameKey()
    {
        // Node 1 computes conv3x3(input) and node 2 zero; the relabelled cell has them the other way round.
        string a = Space.CanonicalKey(P("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|skip_connect~2|"));
        string b = Space.CanonicalKey(P("|none~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|skip_connect~2|"));
        Assert.Equal(a, b);
    }

    [Fact]
    public void CanonicalKey_CountsZeroTermsLikeTheOfficialApi()
    {
        // Functionally a relabelling of nodes 1 and 2, but node 2 carries an extra zero term (from the
        // none edge 1→2) that the official rule counts, so the keys differ; merging these would break 6,466.
        string a = Space.CanonicalKey(P("|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|avg_pool_3x3~1|skip_connect~2|"));
        string b = Space.CanonicalKey(P("|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|skip_connect~1|avg_pool_3x3~2|"));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void CanonicalKey_TreatsSkipAsIdentity()
    {
        string convThenSkip = Space.CanonicalKey(P("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|"));
        string skipThenConv = Space.CanonicalKey(P("|skip_connect~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|"));
        Assert.Equal(convThenSkip, skipThenConv);
    }

    [Fact]
    public void CanonicalKey_DistinguishesDifferentCells()
    {
        string allConv3 = Space.CanonicalKey(P("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"));
        string allConv1 = Space.CanonicalKey(P("|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|"));
        string disconnected = Space.CanonicalKey(P("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        Assert.NotEqual(allConv3, allConv1);
        Assert.NotEqual(allConv3, disconnected);
        Assert.NotEqual(Space.CanonicalKey(Space[0]), Space.CanonicalKey(Space[1]));
    }

    [Fact]
    public void Mutate_ChangesExactlyOneEdge_AndReachesAll24Changes()
    {
        var rng = new Rng(11);
        var cell = Space[0];
        var reached = new HashSet<NasBench201Cell>();
        for (int i = 0; i < 2000; i++)
        {
            var mutant = Space.Mutate(cell, rng);
            Assert.Equal(1, EdgesDiffering(cell, mutant));
            reached.Add(mutant);
        }
        Assert.Equal(24, reached.Count);

        for (int i = 0; i < 1000; i++)
        {
            var start = Space.Sample(rng);
            Assert.Equal(1, EdgesDiffering(start, Space.Mutate(start, rng)));
        }
    }

    [Fact]
    public void Neighbours_Are24DistinctOneEdgeChanges()
    {
        for (int i = 0; i < Space.Count; i += 97)
        {
            var cell = Space[i];
            var neighbours = Space.Neighbours(cell);
            Assert.Equal(24, neighbours.Count);
            Assert.Equal(24, neighbours.Distinct().Count());
            Assert.All(neighbours, n => Assert.Equal(1, EdgesDiffering(cell, n)));
        }
    }

    [Fact]
    public void Sample_IsReproducibleForASeed()
    {
        var a = new Rng(7);
        var b = new Rng(7);
        var first = Enumerable.Range(0, 200).Select(_ => Space.Sample(a)).ToArray();
        var second = Enumerable.Range(0, 200).Select(_ => Space.Sample(b)).ToArray();
        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 190, "200 uniform draws from 15,625 should rarely repeat");
    }

    [Fact]
    public void Encode_IsOneHotPerEdge()
    {
        var cell = P("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|skip_connect~2|");
        var v = new float[Space.EncodingLength];
        Array.Fill(v, 0.5f);
        Space.Encode(cell, v);
        Assert.Equal(30, v.Length);
        int[] expectedOnes = [0 * 5 + 4, 1 * 5 + 2, 2 * 5 + 1, 3 * 5 + 0, 4 * 5 + 3, 5 * 5 + 1];
        for (int i = 0; i < v.Length; i++)
        {
            Assert.Equal(expectedOnes.Contains(i) ? 1f : 0f, v[i]);
        }
    }

    [Fact]
    public void EncodeAll_WritesEveryCellInIndexOrder()
    {
        var all = new float[Space.Count * Space.EncodingLength];
        Space.EncodeAll(all);
        var row = new float[Space.EncodingLength];
        for (int i = 0; i < Space.Count; i += 131)
        {
            Space.Encode(Space[i], row);
            Assert.Equal(row, all.AsSpan(i * 30, 30).ToArray());
        }
        for (int i = 0; i < Space.Count; i++)
        {
            float sum = 0;
            for (int j = 0; j < 30; j++)
            {
                sum += all[i * 30 + j];
            }
            Assert.Equal(6f, sum);
        }
        Assert.Throws<ArgumentException>(() => Space.EncodeAll(new float[Space.Count * 30 - 1]));
    }

    private static int EdgesDiffering(NasBench201Cell a, NasBench201Cell b)
    {
        int n = 0;
        for (int e = 0; e < NasBench201Cell.EdgeCount; e++)
        {
            if (a[e] != b[e])
            {
                n++;
            }
        }
        return n;
    }
}
