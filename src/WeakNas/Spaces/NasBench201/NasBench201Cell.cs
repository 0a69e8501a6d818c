using System.Text;

namespace WeakNas.Spaces.NasBench201;

/// <summary>
/// A NAS-Bench-201 cell: a 4-node DAG (node 0 input, node 3 output) with one op on each of its
/// 6 edges, in the order 0→1, 0→2, 1→2, 0→3, 1→3, 2→3. Stored as its <see cref="Code"/>, so the
/// value is two bytes and equality is a single comparison.
/// </summary>
public readonly record struct NasBench201Cell
{
    /// <summary>Number of edges in a cell.</summary>
    public const int EdgeCount = 6;

    /// <summary>Number of nodes in a cell, including input (0) and output (3).</summary>
    public const int NodeCount = 4;

    /// <summary>Number of distinct ops an edge can take.</summary>
    public const int OpCount = 5;

    /// <summary>Number of distinct cells: 5^6.</summary>
    public const int CellCount = 15625;

    private static readonly string[] OpNames = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];
    private static readonly string OpList = string.Join(", ", OpNames);

    // Place value of each edge's digit in the base-5 code, edge 0 most significant.
    private static readonly int[] PlaceValue = [3125, 625, 125, 25, 5, 1];

    private readonly short _code;

    private NasBench201Cell(int code) => _code = (short)code;

    /// <summary>Creates the cell with the given op on each edge.</summary>
    public NasBench201Cell(
        NasBench201Op edge01, NasBench201Op edge02, NasBench201Op edge12,
        NasBench201Op edge03, NasBench201Op edge13, NasBench201Op edge23)
        : this(FromOps([edge01, edge02, edge12, edge03, edge13, edge23]).Code)
    {
    }

    /// <summary>
    /// Compact identifier 0..15624: the ops read as a base-5 number with edge 0 (0→1) as the most
    /// significant digit. Not the benchmark's index; see <see cref="NasBench201Space.IndexOf"/>.
    /// </summary>
    public int Code => _code;

    /// <summary>The op on <paramref name="edge"/> (0..5, in the order 0→1, 0→2, 1→2, 0→3, 1→3, 2→3).</summary>
    public NasBench201Op this[int edge]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(edge);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(edge, EdgeCount);
            return (NasBench201Op)(_code / PlaceValue[edge] % OpCount);
        }
    }

    /// <summary>The cell with the given code (0..15624).</summary>
    public static NasBench201Cell FromCode(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, CellCount);
        return new NasBench201Cell(code);
    }

    /// <summary>The cell with <c>ops[e]</c> on edge e; exactly 6 ops are required.</summary>
    public static NasBench201Cell FromOps(ReadOnlySpan<NasBench201Op> ops)
    {
        if (ops.Length != EdgeCount)
        {
            throw new ArgumentException($"A NAS-Bench-201 cell has {EdgeCount} edges, got {ops.Length} ops.", nameof(ops));
        }
        int code = 0;
        for (int e = 0; e < EdgeCount; e++)
        {
            if ((uint)ops[e] >= OpCount)
            {
                throw new ArgumentOutOfRangeException(nameof(ops), ops[e], $"Edge {e} has an undefined op.");
            }
            code = code * OpCount + (int)ops[e];
        }
        return new NasBench201Cell(code);
    }

    /// <summary>This cell with the op on <paramref name="edge"/> replaced by <paramref name="op"/>.</summary>
    public NasBench201Cell With(int edge, NasBench201Op op)
    {
        if ((uint)op >= OpCount)
        {
            throw new ArgumentOutOfRangeException(nameof(op), op, "Undefined op.");
        }
        int old = (int)this[edge];
        return new NasBench201Cell(_code + ((int)op - old) * PlaceValue[edge]);
    }

    /// <summary>The node edge <paramref name="edge"/> leaves.</summary>
    public static int EdgeSource(int edge) => edge switch
    {
        0 or 1 or 3 => 0,
        2 or 4 => 1,
        5 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "Edges are numbered 0..5."),
    };

    /// <summary>The node edge <paramref name="edge"/> enters.</summary>
    public static int EdgeTarget(int edge) => edge switch
    {
        0 => 1,
        1 or 2 => 2,
        3 or 4 or 5 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "Edges are numbered 0..5."),
    };

    /// <summary>The edge from node <paramref name="source"/> to node <paramref name="target"/> (source &lt; target).</summary>
    public static int EdgeIndex(int source, int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(source, target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, NodeCount);
        // Edges are grouped by target, so the edges into node t start after the t(t-1)/2 edges into earlier nodes.
        return target * (target - 1) / 2 + source;
    }

    /// <summary>The benchmark's name for <paramref name="op"/>, e.g. "nor_conv_3x3".</summary>
    public static string OpName(NasBench201Op op) =>
        (uint)op < OpCount ? OpNames[(int)op] : throw new ArgumentOutOfRangeException(nameof(op), op, "Undefined op.");

    /// <summary>Looks up an op by its exact benchmark name (case-sensitive).</summary>
    public static bool TryParseOp(ReadOnlySpan<char> name, out NasBench201Op op)
    {
        for (int i = 0; i < OpNames.Length; i++)
        {
            if (name.SequenceEqual(OpNames[i]))
            {
                op = (NasBench201Op)i;
                return true;
            }
        }
        op = NasBench201Op.None;
        return false;
    }

    /// <summary>The standard string, e.g. <c>|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...~0|...~1|...~2|</c>.</summary>
    public string Format()
    {
        var sb = new StringBuilder(120);
        for (int target = 1; target < NodeCount; target++)
        {
            if (target > 1)
            {
                sb.Append('+');
            }
            sb.Append('|');
            for (int source = 0; source < target; source++)
            {
                sb.Append(OpNames[(int)this[EdgeIndex(source, target)]]).Append('~').Append((char)('0' + source)).Append('|');
            }
        }
        return sb.ToString();
    }

    /// <summary>Same as <see cref="Format"/>.</summary>
    public override string ToString() => Format();

    /// <summary>
    /// Parses the standard string. Only outer whitespace is trimmed; anything else that differs from
    /// what <see cref="Format"/> writes is rejected with a <see cref="FormatException"/> naming the
    /// problem and the node/input where it is.
    /// </summary>
    public static NasBench201Cell Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw Error(text, "empty string; expected '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|'");
        }
        string[] groups = trimmed.Split('+');
        if (groups.Length != NodeCount - 1)
        {
            throw Error(text, $"has {groups.Length} nodes separated by '+', expected {NodeCount - 1} (nodes 1, 2 and 3)");
        }
        Span<NasBench201Op> ops = stackalloc NasBench201Op[EdgeCount];
        for (int target = 1; target < NodeCount; target++)
        {
            ParseNode(text, groups[target - 1], target, ops);
        }
        return FromOps(ops);
    }

    private static void ParseNode(string text, string group, int target, Span<NasBench201Op> ops)
    {
        if (group.Length == 0 || group[0] != '|')
        {
            throw Error(text, $"node {target} '{group}' is missing the '|' delimiter at its start");
        }
        if (group.Length == 1 || group[^1] != '|')
        {
            throw Error(text, $"node {target} '{group}' is missing the '|' delimiter at its end");
        }
        string[] inputs = group[1..^1].Split('|');
        if (inputs.Length != target)
        {
            throw Error(text, $"node {target} has {inputs.Length} inputs, expected {target}");
        }
        for (int input = 0; input < target; input++)
        {
            string token = inputs[input];
            if (token.Length == 0)
            {
                throw Error(text, $"node {target} input {input} is empty; expected 'op~{input}'");
            }
            int tilde = token.IndexOf('~', StringComparison.Ordinal);
            if (tilde < 0)
            {
                throw Error(text, $"input '{token}' of node {target} has no '~'; expected 'op~{input}'");
            }
            string opName = token[..tilde];
            if (!TryParseOp(opName, out NasBench201Op op))
            {
                throw Error(text, $"unknown op '{opName}' at node {target} input {input}; expected one of {OpList}");
            }
            string sourceText = token[(tilde + 1)..];
            if (!TryParseNodeNumber(sourceText, out int source))
            {
                throw Error(text, $"input '{token}' of node {target}: source '{sourceText}' is not a node number");
            }
            if (source >= target)
            {
                throw Error(text, $"input '{token}' of node {target} refers to node {source}; node {target} takes inputs from nodes 0..{target - 1}");
            }
            if (source != input)
            {
                throw Error(text, $"input '{token}' is input {input} of node {target} but refers to node {source}; inputs must be listed in source order, expected '~{input}'");
            }
            ops[EdgeIndex(source, target)] = op;
        }
    }

    // Plain decimal with no sign, whitespace or leading zeros, so that only Format's spelling is accepted.
    private static bool TryParseNodeNumber(string s, out int value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 9 || (s.Length > 1 && s[0] == '0'))
        {
            return false;
        }
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static FormatException Error(string text, string problem) => new($"NAS-Bench-201 cell '{text}': {problem}");
}
