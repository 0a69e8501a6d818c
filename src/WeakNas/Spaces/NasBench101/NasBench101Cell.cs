using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// A valid NAS-Bench-101 cell, always in pruned form: vertex 0 is the input, vertex
/// <see cref="VertexCount"/>-1 the output, every vertex lies on an input→output path, edges go from
/// lower to higher vertices (upper-triangular adjacency), at most 7 vertices and 9 edges, and each
/// interior vertex holds conv3x3-bn-relu, conv1x1-bn-relu or maxpool3x3. Build one with
/// <see cref="Create(int[,], IReadOnlyList{string})"/>, which validates and prunes exactly as the
/// official API's <c>ModelSpec</c> and <c>NASBench.is_valid</c> do.
/// <para>
/// The value is one 32-bit <see cref="Code"/>, so equality is one comparison. Equality is structural:
/// two isomorphic cells (the same architecture with its vertices numbered differently) are different
/// values with the same <see cref="NasBench101Hash"/>. <c>default(NasBench101Cell)</c> is the smallest
/// cell, input → output.
/// </para>
/// </summary>
public readonly record struct NasBench101Cell
{
    /// <summary>Most vertices a cell may have, input and output included.</summary>
    public const int MaxVertices = 7;

    /// <summary>Most edges a cell may have.</summary>
    public const int MaxEdges = 9;

    /// <summary>Interior vertices of a 7-vertex cell: the places that hold an op.</summary>
    public const int OpSpots = MaxVertices - 2;

    /// <summary>Possible edges of a 7-vertex cell: 7 · 6 / 2.</summary>
    public const int EdgeSpots = MaxVertices * (MaxVertices - 1) / 2;

    private const int OpShift = EdgeSpots;
    private const uint AdjacencyMask = (1u << EdgeSpots) - 1;

    // The stored word is the code with the 0→1 edge bit flipped, so that the all-zero default value
    // (which has no edge at all and would be no cell) reads as input → output, the smallest valid cell.
    private const uint DefaultFlip = 1u;

    private static readonly string[] InteriorOpNames = ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"];
    private static readonly string InteriorOpList = string.Join(", ", InteriorOpNames);

    // The target vertex of each adjacency bit (bit to·(to-1)/2 + from): 0→1 | 0→2, 1→2 | 0→3 ... 2→3 | ...
    private static readonly byte[] TargetOfBit = [1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6];

    private readonly uint _stored;

    private NasBench101Cell(uint code) => _stored = code ^ DefaultFlip;

    /// <summary>
    /// The cell as 31 bits: bit <c>to·(to-1)/2 + from</c> (0..20) is the edge from→to, the numbering the
    /// official <c>generate_graphs.py</c> enumerates matrices by; bits 21 + 2·(v-1) hold interior vertex v's
    /// label (0 conv3x3, 1 conv1x1, 2 maxpool). The vertex count follows from the edges (the output is the
    /// highest vertex with an edge), and unused op bits are zero, so each pruned cell has exactly one code.
    /// </summary>
    public uint Code => _stored ^ DefaultFlip;

    /// <summary>The 21 adjacency bits of <see cref="Code"/>.</summary>
    public uint AdjacencyBits => Code & AdjacencyMask;

    /// <summary>Number of vertices, input and output included (2..7).</summary>
    public int VertexCount => TargetOfBit[31 - BitOperations.LeadingZeroCount(AdjacencyBits)] + 1;

    /// <summary>Number of edges (1..9).</summary>
    public int EdgeCount => BitOperations.PopCount(AdjacencyBits);

    /// <summary>The position of the edge from→to in <see cref="Code"/> (from &lt; to &lt; 7).</summary>
    public static int EdgeBit(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, to);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(to, MaxVertices);
        return to * (to - 1) / 2 + from;
    }

    /// <summary>True when the cell has the edge <paramref name="from"/>→<paramref name="to"/>.</summary>
    public bool HasEdge(int from, int to)
    {
        int n = VertexCount;
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, n);
        ArgumentOutOfRangeException.ThrowIfNegative(to);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(to, n);
        return from < to && (AdjacencyBits >> (to * (to - 1) / 2 + from) & 1) != 0;
    }

    /// <summary>The op at <paramref name="vertex"/> (0..<see cref="VertexCount"/>-1).</summary>
    public NasBench101Op Op(int vertex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, VertexCount);
        return (NasBench101Op)Label(vertex);
    }

    /// <summary>The ops of all vertices, input first and output last.</summary>
    public NasBench101Op[] Ops()
    {
        var ops = new NasBench101Op[VertexCount];
        for (int v = 0; v < ops.Length; v++) ops[v] = (NasBench101Op)Label(v);
        return ops;
    }

    /// <summary>The <see cref="VertexCount"/> × <see cref="VertexCount"/> 0/1 adjacency matrix.</summary>
    public int[,] ToMatrix()
    {
        int n = VertexCount;
        var matrix = new int[n, n];
        for (int to = 1; to < n; to++)
        {
            uint sources = InMask(to);
            for (int from = 0; from < to; from++) matrix[from, to] = (int)(sources >> from & 1);
        }
        return matrix;
    }

    /// <summary>Bit <c>from</c> is set for each edge from→<paramref name="to"/>.</summary>
    internal uint InMask(int to) => (AdjacencyBits >> (to * (to - 1) / 2)) & ((1u << to) - 1);

    /// <summary>The official integer label of <paramref name="vertex"/>: -1 input, -2 output, else the op (0..2).</summary>
    internal int Label(int vertex)
    {
        if (vertex == 0) return (int)NasBench101Op.Input;
        if (vertex == VertexCount - 1) return (int)NasBench101Op.Output;
        return (int)(Code >> (OpShift + 2 * (vertex - 1)) & 3);
    }

    /// <summary>The cell with this <see cref="Code"/>; throws <see cref="ArgumentException"/> if it is not a pruned valid cell.</summary>
    public static NasBench101Cell FromCode(uint code)
    {
        if (!IsValidCode(code, out string? problem))
            throw new ArgumentException($"0x{code:x8} is not a NAS-Bench-101 cell code: {problem}", nameof(code));
        return new NasBench101Cell(code);
    }

    /// <summary>For codes known to be valid (the enumerator's, a checksummed file's): no checks.</summary>
    internal static NasBench101Cell FromValidCode(uint code) => new(code);

    /// <summary>True when <paramref name="code"/> is the code of a pruned valid cell.</summary>
    public static bool IsValidCode(uint code, [NotNullWhen(false)] out string? problem)
    {
        uint adjacency = code & AdjacencyMask;
        if (code >> 31 != 0) { problem = "bit 31 is set"; return false; }
        if (adjacency == 0) { problem = "no edge"; return false; }
        int edges = BitOperations.PopCount(adjacency);
        if (edges > MaxEdges) { problem = $"{edges} edges (at most {MaxEdges})"; return false; }
        int n = TargetOfBit[31 - BitOperations.LeadingZeroCount(adjacency)] + 1;
        uint outOf = 0;
        for (int to = 1; to < n; to++)
        {
            uint sources = (adjacency >> (to * (to - 1) / 2)) & ((1u << to) - 1);
            // In a DAG numbered in topological order, "every vertex but the input has an in-edge and every
            // vertex but the output an out-edge" is the same as "every vertex lies on an input→output path".
            if (sources == 0) { problem = $"vertex {to} has no incoming edge, so it would be pruned"; return false; }
            outOf |= sources;
        }
        if (outOf != (1u << (n - 1)) - 1)
        {
            int dead = BitOperations.TrailingZeroCount(~outOf);
            problem = $"vertex {dead} has no outgoing edge, so it would be pruned";
            return false;
        }
        for (int v = 1; v <= OpSpots; v++)
        {
            uint label = code >> (OpShift + 2 * (v - 1)) & 3;
            if (v < n - 1 && label == 3) { problem = $"vertex {v} has op label 3 (labels are 0..2)"; return false; }
            if (v >= n - 1 && label != 0) { problem = $"op bits are set for vertex {v}, which is not an interior vertex of this {n}-vertex cell"; return false; }
        }
        problem = null;
        return true;
    }

    /// <summary>
    /// Validates and prunes a cell given as the official API takes it: a square 0/1 upper-triangular
    /// matrix and one op name per vertex. Throws <see cref="ArgumentException"/> saying what is wrong.
    /// </summary>
    public static NasBench101Cell Create(int[,] matrix, IReadOnlyList<string> ops) =>
        TryCreate(matrix, ops, out var cell, out string? error) ? cell : throw new ArgumentException($"invalid NAS-Bench-101 cell: {error}");

    /// <summary>As <see cref="Create(int[,], IReadOnlyList{string})"/>, with ops given as values.</summary>
    public static NasBench101Cell Create(int[,] matrix, IReadOnlyList<NasBench101Op> ops) =>
        TryCreate(matrix, ops, out var cell, out string? error) ? cell : throw new ArgumentException($"invalid NAS-Bench-101 cell: {error}");

    /// <summary>
    /// Validates and prunes as the official API: vertices not on an input→output path are removed (with
    /// their ops, whatever those are); then the cell is invalid if no path is left, or it has more than 7
    /// vertices or 9 edges, or its first op is not input, its last not output, or an interior op is not
    /// one of the three. <paramref name="error"/> says which.
    /// </summary>
    public static bool TryCreate(int[,] matrix, IReadOnlyList<string> ops, out NasBench101Cell cell, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var labels = new int[ops.Count];
        for (int v = 0; v < labels.Length; v++)
            labels[v] = TryParseOp(ops[v], out var op) ? (int)op : UnknownLabel;
        return TryCreate(matrix, labels, v => ops[v], out cell, out error);
    }

    /// <summary>As <see cref="TryCreate(int[,], IReadOnlyList{string}, out NasBench101Cell, out string?)"/>, with ops given as values.</summary>
    public static bool TryCreate(int[,] matrix, IReadOnlyList<NasBench101Op> ops, out NasBench101Cell cell, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var labels = new int[ops.Count];
        for (int v = 0; v < labels.Length; v++)
            labels[v] = Enum.IsDefined(ops[v]) ? (int)ops[v] : UnknownLabel;
        return TryCreate(matrix, labels, v => Enum.IsDefined(ops[v]) ? OpName(ops[v]) : ((int)ops[v]).ToString(System.Globalization.CultureInfo.InvariantCulture), out cell, out error);
    }

    /// <summary>Label of an op name the benchmark does not know.</summary>
    internal const int UnknownLabel = int.MinValue;

    private static bool TryCreate(int[,] matrix, int[] labels, Func<int, string> opText, out NasBench101Cell cell, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        cell = default;
        int rows = matrix.GetLength(0), columns = matrix.GetLength(1);
        if (rows != columns) { error = $"the matrix is {rows}×{columns}; it must be square"; return false; }
        if (rows == 0) { error = "the matrix is empty"; return false; }
        if (rows > 64) { error = $"the matrix has {rows} vertices; at most 64 can be pruned to a cell"; return false; }
        if (labels.Length != rows) { error = $"{labels.Length} ops for a {rows}×{rows} matrix; there must be one op per vertex"; return false; }
        Span<ulong> successors = stackalloc ulong[rows];
        for (int from = 0; from < rows; from++)
        {
            for (int to = 0; to < rows; to++)
            {
                int value = matrix[from, to];
                if (value == 0) continue;
                if (value != 1) { error = $"matrix entry [{from},{to}] is {value}; entries must be 0 or 1"; return false; }
                if (to <= from) { error = $"matrix entry [{from},{to}] is 1 on or below the diagonal; the matrix must be upper triangular"; return false; }
                successors[from] |= 1UL << to;
            }
        }
        return TryBuild(rows, successors, labels, opText, out cell, out error);
    }

    /// <summary>
    /// The pruning and domain checks shared by every way of making a cell. <paramref name="successors"/>[v]
    /// has bit w set for each edge v→w (w &gt; v); <paramref name="labels"/> are official labels, or
    /// <see cref="UnknownLabel"/>; <paramref name="opText"/> names vertex v's op in messages.
    /// </summary>
    internal static bool TryBuild(int n, ReadOnlySpan<ulong> successors, ReadOnlySpan<int> labels, Func<int, string>? opText,
        out NasBench101Cell cell, [NotNullWhen(false)] out string? error)
    {
        cell = default;
        // Vertices reachable from the input, then those that reach the output: edges only go upwards,
        // so one sweep in each direction suffices.
        ulong forward = 1;
        for (int v = 0; v < n; v++)
            if ((forward >> v & 1) != 0) forward |= successors[v];
        ulong backward = 1UL << (n - 1);
        for (int v = n - 2; v >= 0; v--)
            if ((successors[v] & backward) != 0) backward |= 1UL << v;
        ulong keep = forward & backward;
        int kept = BitOperations.PopCount(keep);
        if (kept < 2 || n < 2)
        {
            error = $"no path from the input (vertex 0) to the output (vertex {n - 1}): the graph is disconnected";
            return false;
        }
        if (kept > MaxVertices)
        {
            error = $"too many vertices: {kept} on input→output paths after pruning (at most {MaxVertices})";
            return false;
        }
        int edges = 0;
        for (int v = 0; v < n; v++)
            if ((keep >> v & 1) != 0) edges += BitOperations.PopCount(successors[v] & keep);
        if (edges > MaxEdges)
        {
            error = $"too many edges: {edges} on input→output paths after pruning (at most {MaxEdges})";
            return false;
        }
        if (labels[0] != (int)NasBench101Op.Input)
        {
            error = $"vertex 0 has op '{Name(0, labels, opText)}'; the first op must be 'input'";
            return false;
        }
        if (labels[n - 1] != (int)NasBench101Op.Output)
        {
            error = $"vertex {n - 1} has op '{Name(n - 1, labels, opText)}'; the last op must be 'output'";
            return false;
        }

        Span<int> newIndex = stackalloc int[n];
        int next = 0;
        uint code = 0;
        for (int v = 0; v < n; v++)
        {
            if ((keep >> v & 1) == 0) continue;
            newIndex[v] = next;
            if (v != 0 && v != n - 1)
            {
                int label = labels[v];
                if (label is < 0 or > 2)
                {
                    error = $"vertex {v} has op '{Name(v, labels, opText)}'; interior ops must be one of {InteriorOpList}";
                    return false;
                }
                code |= (uint)label << (OpShift + 2 * (next - 1));
            }
            next++;
        }
        for (int v = 0; v < n; v++)
        {
            if ((keep >> v & 1) == 0) continue;
            ulong targets = successors[v] & keep;
            while (targets != 0)
            {
                int w = BitOperations.TrailingZeroCount(targets);
                targets &= targets - 1;
                int to = newIndex[w];
                code |= 1u << (to * (to - 1) / 2 + newIndex[v]);
            }
        }
        cell = new NasBench101Cell(code);
        error = null;
        return true;
    }

    private static string Name(int v, ReadOnlySpan<int> labels, Func<int, string>? opText) =>
        opText?.Invoke(v) ?? (labels[v] == UnknownLabel ? "?" : OpName((NasBench101Op)labels[v]));

    /// <summary>The benchmark's name for <paramref name="op"/>, e.g. "conv3x3-bn-relu".</summary>
    public static string OpName(NasBench101Op op) => op switch
    {
        NasBench101Op.Input => "input",
        NasBench101Op.Output => "output",
        NasBench101Op.Conv3x3 or NasBench101Op.Conv1x1 or NasBench101Op.MaxPool3x3 => InteriorOpNames[(int)op],
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Undefined op."),
    };

    /// <summary>Looks up an op by its exact benchmark name (case-sensitive).</summary>
    public static bool TryParseOp(ReadOnlySpan<char> name, out NasBench101Op op)
    {
        op = NasBench101Op.Input;
        if (name.SequenceEqual("input")) return true;
        op = NasBench101Op.Output;
        if (name.SequenceEqual("output")) return true;
        for (int i = 0; i < InteriorOpNames.Length; i++)
        {
            if (name.SequenceEqual(InteriorOpNames[i]))
            {
                op = (NasBench101Op)i;
                return true;
            }
        }
        op = NasBench101Op.Input;
        return false;
    }

    /// <summary>
    /// The row-major adjacency of the padded 7×7 matrix as 49 '0'/'1' characters: the cell's vertices in
    /// the top-left corner, the rows and columns beyond its output zero (how <c>nb101_sample_1k.json</c> pads).
    /// </summary>
    public string PaddedAdjacency()
    {
        var chars = new char[MaxVertices * MaxVertices];
        Array.Fill(chars, '0');
        int n = VertexCount;
        for (int to = 1; to < n; to++)
        {
            uint sources = InMask(to);
            for (int from = 0; from < to; from++)
                if ((sources >> from & 1) != 0) chars[from * MaxVertices + to] = '1';
        }
        return new string(chars);
    }

    /// <summary>The op names, comma-separated, input first (the official <c>raw_operations</c> form).</summary>
    public string OpList()
    {
        var sb = new StringBuilder(100);
        int n = VertexCount;
        for (int v = 0; v < n; v++)
        {
            if (v > 0) sb.Append(',');
            sb.Append(OpName((NasBench101Op)Label(v)));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The standard text form: the n×n adjacency matrix row-major as n² '0'/'1' digits (the official
    /// <c>raw_adjacency</c> form), a colon, and the op names comma-separated, e.g.
    /// <c>0110001000010000:input,conv3x3-bn-relu,maxpool3x3,output</c>.
    /// </summary>
    public string Format()
    {
        int n = VertexCount;
        var sb = new StringBuilder(n * n + 100);
        for (int from = 0; from < n; from++)
            for (int to = 0; to < n; to++)
                sb.Append(to > from && (InMask(to) >> from & 1) != 0 ? '1' : '0');
        return sb.Append(':').Append(OpList()).ToString();
    }

    /// <summary>Same as <see cref="Format"/>.</summary>
    public override string ToString() => Format();

    /// <summary>
    /// Parses <see cref="Format"/>'s form. The matrix may be any square size and unpruned: it is pruned and
    /// validated as by <see cref="Create(int[,], IReadOnlyList{string})"/>. Throws <see cref="FormatException"/>
    /// naming the problem.
    /// </summary>
    public static NasBench101Cell Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            throw Error(text, "no ':'; expected '<adjacency as n·n digits 0/1>:<op>,<op>,...'");
        string digits = trimmed[..colon];
        string[] ops = trimmed[(colon + 1)..].Split(',');
        int n = (int)Math.Round(Math.Sqrt(digits.Length));
        if (digits.Length == 0 || n * n != digits.Length)
            throw Error(text, $"the adjacency has {digits.Length} digits, which is not n·n for a whole n");
        var matrix = new int[n, n];
        for (int i = 0; i < digits.Length; i++)
        {
            char c = digits[i];
            if (c is not ('0' or '1'))
                throw Error(text, $"adjacency character {i + 1} is '{c}'; expected 0 or 1");
            matrix[i / n, i % n] = c - '0';
        }
        if (ops.Length != n)
            throw Error(text, $"{ops.Length} ops for a {n}×{n} matrix; there must be one op per vertex");
        if (!TryCreate(matrix, ops, out var cell, out string? error)) throw Error(text, error);
        return cell;
    }

    private static FormatException Error(string text, string problem) => new($"NAS-Bench-101 cell '{text}': {problem}");
}
