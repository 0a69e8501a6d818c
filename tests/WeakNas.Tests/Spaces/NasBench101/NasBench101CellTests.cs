using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

public class NasBench101CellTests
{
    private const string In = "input", Out = "output", C3 = "conv3x3-bn-relu", C1 = "conv1x1-bn-relu", Mp = "maxpool3x3";

    // A matrix from rows of 0/1 digits.
    private static int[,] M(params string[] rows)
    {
        var matrix = new int[rows.Length, rows.Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows.Length; j++)
                matrix[i, j] = rows[i][j] - '0';
        return matrix;
    }

    private static string Error(int[,] matrix, params string[] ops)
    {
        Assert.False(NasBench101Cell.TryCreate(matrix, ops, out _, out string? error));
        return error!;
    }

    [Fact]
    public void A_chain_is_valid_and_keeps_its_shape()
    {
        var cell = NasBench101Cell.Create(M("0100", "0010", "0001", "0000"), [In, C3, Mp, Out]);
        Assert.Equal(4, cell.VertexCount);
        Assert.Equal(3, cell.EdgeCount);
        Assert.True(cell.HasEdge(1, 2));
        Assert.False(cell.HasEdge(0, 2));
        Assert.Equal([NasBench101Op.Input, NasBench101Op.Conv3x3, NasBench101Op.MaxPool3x3, NasBench101Op.Output], cell.Ops());
        Assert.Equal("0100001000010000:input,conv3x3-bn-relu,maxpool3x3,output", cell.Format());
        Assert.Equal(cell, NasBench101Cell.Parse(cell.Format()));
        Assert.Equal(cell, NasBench101Cell.FromCode(cell.Code));
        Assert.Equal(M("0100", "0010", "0001", "0000"), cell.ToMatrix());
    }

    [Fact]
    public void Default_is_the_smallest_cell_input_to_output()
    {
        var cell = default(NasBench101Cell);
        Assert.Equal(2, cell.VertexCount);
        Assert.Equal("0100:input,output", cell.Format());
        Assert.Equal(NasBench101Cell.Create(M("01", "00"), [In, Out]), cell);
        Assert.True(NasBench101Cell.IsValidCode(cell.Code, out _));
    }

    [Fact]
    public void Vertices_off_every_input_output_path_are_pruned_with_their_ops_whatever_they_are()
    {
        // Vertex 2 has no way out and vertex 3 no way in: both go, with their unknown op names.
        var cell = NasBench101Cell.Create(
            M("0110001", "0000001", "0000000", "0000101", "0000001", "0000000", "0000000"),
            [In, C1, "bogus", "also-bogus", Mp, C3, Out]);
        // Vertex 4 is fed only by the stranded vertex 3, and vertex 5 is isolated: input, vertex 1 and output remain.
        Assert.Equal(3, cell.VertexCount);
        Assert.Equal("011001000:input,conv1x1-bn-relu,output", cell.Format());
    }

    [Fact]
    public void Edges_are_counted_after_pruning()
    {
        // 12 edges in the matrix, but vertex 5 reaches no output and vertex 3 only reaches vertex 5:
        // their 5 edges go and 7 remain.
        var cell = NasBench101Cell.Create(
            M("0111110", "0010001", "0001001", "0000010", "0000011", "0000000", "0000000"),
            [In, C3, C3, C1, Mp, C3, Out]);
        Assert.Equal(5, cell.VertexCount);
        Assert.Equal(7, cell.EdgeCount);
    }

    [Theory]
    [InlineData("no path from the input (vertex 0) to the output (vertex 2): the graph is disconnected", "010", "000", "000")]
    [InlineData("no path from the input (vertex 0) to the output (vertex 1): the graph is disconnected", "00", "00")]
    public void A_cell_without_an_input_output_path_is_invalid(string expected, params string[] rows)
    {
        string[] ops = rows.Length == 3 ? [In, C3, Out] : [In, Out];
        Assert.Equal(expected, Error(M(rows), ops));
    }

    [Fact]
    public void Too_many_vertices_after_pruning_is_invalid()
    {
        // A chain of 8 vertices: row i has its edge to i + 1.
        var rows = Enumerable.Range(0, 8).Select(i => i < 7 ? new string('0', i + 1) + "1" + new string('0', 6 - i) : new string('0', 8)).ToArray();
        Assert.Equal("too many vertices: 8 on input→output paths after pruning (at most 7)", Error(M(rows), [In, C3, C3, C3, C3, C3, C3, Out]));
    }

    [Fact]
    public void Too_many_edges_after_pruning_is_invalid()
    {
        var cell = Error(M("0111111", "0011111", "0000001", "0000001", "0000001", "0000001", "0000000"), [In, C3, C3, C3, C3, C3, Out]);
        Assert.Equal("too many edges: 15 on input→output paths after pruning (at most 9)", cell);
    }

    [Theory]
    [InlineData("vertex 0 has op 'conv3x3-bn-relu'; the first op must be 'input'", "conv3x3-bn-relu", "maxpool3x3", "output")]
    [InlineData("vertex 2 has op 'maxpool3x3'; the last op must be 'output'", "input", "maxpool3x3", "maxpool3x3")]
    [InlineData("vertex 1 has op 'conv5x5'; interior ops must be one of conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3", "input", "conv5x5", "output")]
    [InlineData("vertex 1 has op 'input'; interior ops must be one of conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3", "input", "input", "output")]
    [InlineData("vertex 1 has op 'output'; interior ops must be one of conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3", "input", "output", "output")]
    public void Bad_ops_are_named(string expected, params string[] ops) => Assert.Equal(expected, Error(M("010", "001", "000"), ops));

    [Fact]
    public void Malformed_matrices_are_named()
    {
        Assert.Equal("the matrix is 2×3; it must be square", Error(new int[2, 3], In, Out));
        Assert.Equal("3 ops for a 2×2 matrix; there must be one op per vertex", Error(M("01", "00"), In, C3, Out));
        Assert.Equal("matrix entry [1,0] is 1 on or below the diagonal; the matrix must be upper triangular", Error(M("01", "10"), In, Out));
        Assert.Equal("matrix entry [0,0] is 1 on or below the diagonal; the matrix must be upper triangular", Error(M("11", "00"), In, Out));
        Assert.Equal("matrix entry [0,1] is 2; entries must be 0 or 1", Error(M("02", "00"), In, Out));
    }

    [Fact]
    public void Create_throws_with_the_same_message()
    {
        var e = Assert.Throws<ArgumentException>(() => NasBench101Cell.Create(M("010", "000", "000"), [In, C3, Out]));
        Assert.StartsWith("invalid NAS-Bench-101 cell: no path from the input", e.Message);
    }

    [Theory]
    [InlineData("0100:input,output,output", "3 ops for a 2×2 matrix")]
    [InlineData("0100", "no ':'")]
    [InlineData("010:input,output", "3 digits")]
    [InlineData("0120:input,output", "character 3 is '2'")]
    [InlineData("0000:input,output", "disconnected")]
    public void Parse_names_the_problem(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => NasBench101Cell.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void Parse_prunes_an_unpruned_matrix()
    {
        var cell = NasBench101Cell.Parse("0100000100000000:input,conv3x3-bn-relu,maxpool3x3,output");
        Assert.Equal("010001000:input,conv3x3-bn-relu,output", cell.Format());
    }

    [Theory]
    [InlineData(0u, "no edge")]
    [InlineData(0b10u, "vertex 1 has no incoming edge")]
    [InlineData(0b11u, "vertex 1 has no outgoing edge")]
    [InlineData(0b1u | 3u << 21, "op bits are set for vertex 1")]
    [InlineData(0b100101u | 3u << 21, "vertex 1 has op label 3")]
    [InlineData(0x80000001u, "bit 31")]
    public void Codes_of_non_cells_are_refused(uint code, string expected)
    {
        Assert.False(NasBench101Cell.IsValidCode(code, out string? problem));
        Assert.Contains(expected, problem);
        Assert.Throws<ArgumentException>(() => NasBench101Cell.FromCode(code));
    }

    [Fact]
    public void Op_names_round_trip()
    {
        foreach (var op in Enum.GetValues<NasBench101Op>())
        {
            Assert.True(NasBench101Cell.TryParseOp(NasBench101Cell.OpName(op), out var parsed));
            Assert.Equal(op, parsed);
        }
        Assert.False(NasBench101Cell.TryParseOp("Conv3x3-bn-relu", out _));
    }

    [Fact]
    public void Padded_adjacency_puts_the_cell_top_left()
    {
        var cell = NasBench101Cell.Parse("011001000:input,conv1x1-bn-relu,output");
        string padded = cell.PaddedAdjacency();
        Assert.Equal(49, padded.Length);
        Assert.Equal("0110000" + "0010000" + new string('0', 35), padded);
        Assert.Equal("input,conv1x1-bn-relu,output", cell.OpList());
    }
}
