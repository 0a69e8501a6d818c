using WeakNas.Numerics;

namespace WeakNas.Spaces.NasBench201;

/// <summary>
/// The NAS-Bench-201 cell search space: 5 ops on each of 6 edges, 15,625 cells, indexed in the
/// benchmark's own order so that an index here is a row index of the benchmark's tables.
/// </summary>
public sealed class NasBench201Space : IEnumerableSearchSpace<NasBench201Cell>
{
    /// <summary>
    /// The seed the benchmark used to shuffle the code-ordered list of cells into its index order
    /// (<c>random.seed(88); random.shuffle(cells)</c> in CPython).
    /// </summary>
    public const int BenchmarkShuffleSeed = 88;

    private const int EdgeCount = NasBench201Cell.EdgeCount;
    private const int OpCount = NasBench201Cell.OpCount;

    // The zero term and the input in canonical keys; op names are shortened to tokens that sort in
    // the same relative order as the full names, which keeps the partition identical to the official one.
    private const string ZeroTerm = "#";
    private const string InputTerm = "0";

    private readonly NasBench201Cell[] _cells;
    private readonly short[] _indexByCode;

    // Filled on first use; concurrent writers store equal strings, so the race is harmless.
    private readonly string?[] _keyByCode;

    private NasBench201Space()
    {
        var codes = new short[NasBench201Cell.CellCount];
        for (int code = 0; code < codes.Length; code++)
        {
            codes[code] = (short)code;
        }
        new PythonRandom(BenchmarkShuffleSeed).Shuffle(codes.AsSpan());

        _cells = new NasBench201Cell[codes.Length];
        _indexByCode = new short[codes.Length];
        for (int index = 0; index < codes.Length; index++)
        {
            _cells[index] = NasBench201Cell.FromCode(codes[index]);
            _indexByCode[codes[index]] = (short)index;
        }
        _keyByCode = new string?[codes.Length];
    }

    /// <summary>The shared instance; the space has no state besides its lookup tables.</summary>
    public static NasBench201Space Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "nb201";

    /// <summary>15,625.</summary>
    public int Count => NasBench201Cell.CellCount;

    /// <summary>One-hot op per edge: 6 × 5 = 30.</summary>
    public int EncodingLength => EdgeCount * OpCount;

    /// <summary>The cell at benchmark index <paramref name="index"/>.</summary>
    public NasBench201Cell this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _cells[index];
        }
    }

    /// <summary>The benchmark index of <paramref name="arch"/> (constant time).</summary>
    public int IndexOf(NasBench201Cell arch) => _indexByCode[arch.Code];

    /// <summary>A cell drawn uniformly from all 15,625.</summary>
    public NasBench201Cell Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return NasBench201Cell.FromCode(rng.NextInt(Count));
    }

    /// <summary>Changes one edge to a different op, uniformly over the 6 × 4 such changes.</summary>
    public NasBench201Cell Mutate(NasBench201Cell arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int choice = rng.NextInt(EdgeCount * (OpCount - 1));
        int edge = choice / (OpCount - 1);
        int op = choice % (OpCount - 1);
        // Draw among the 4 other ops by skipping over the current one.
        if (op >= (int)arch[edge])
        {
            op++;
        }
        return arch.With(edge, (NasBench201Op)op);
    }

    /// <summary>The 24 cells one edge change away, edge by edge, ops in enum order.</summary>
    public IReadOnlyList<NasBench201Cell> Neighbours(NasBench201Cell arch)
    {
        var result = new NasBench201Cell[EdgeCount * (OpCount - 1)];
        int n = 0;
        for (int edge = 0; edge < EdgeCount; edge++)
        {
            NasBench201Op current = arch[edge];
            for (int op = 0; op < OpCount; op++)
            {
                if (op != (int)current)
                {
                    result[n++] = arch.With(edge, (NasBench201Op)op);
                }
            }
        }
        return result;
    }

    /// <summary>Writes the one-hot encoding: 1 at <c>edge * 5 + op</c> for each edge, 0 elsewhere.</summary>
    public void Encode(NasBench201Cell arch, Span<float> destination)
    {
        if (destination.Length < EncodingLength)
        {
            throw new ArgumentException($"Need {EncodingLength} floats, got {destination.Length}.", nameof(destination));
        }
        Span<float> target = destination[..EncodingLength];
        target.Clear();
        for (int edge = 0; edge < EdgeCount; edge++)
        {
            target[edge * OpCount + (int)arch[edge]] = 1f;
        }
    }

    /// <summary>
    /// Encodes every cell, in index order, into <paramref name="destination"/> as a row-major
    /// <see cref="Count"/> × <see cref="EncodingLength"/> matrix (row i is the cell at index i).
    /// </summary>
    public void EncodeAll(Span<float> destination)
    {
        int length = Count * EncodingLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"Need {length} floats ({Count} × {EncodingLength}), got {destination.Length}.", nameof(destination));
        }
        for (int index = 0; index < Count; index++)
        {
            Encode(_cells[index], destination.Slice(index * EncodingLength, EncodingLength));
        }
    }

    /// <summary>
    /// Identifies cells the benchmark treats as the same architecture; there are exactly 6,466 keys,
    /// the published number of unique NAS-Bench-201 cells. The key is node 3's expression, built
    /// node by node from the input <c>0</c>:
    /// <list type="bullet">
    /// <item>a <c>none</c> edge contributes the zero term <c>#</c>, and so does any edge leaving a node
    /// whose expression is exactly <c>#</c> (node 1 fed by a <c>none</c> edge);</item>
    /// <item>a <c>skip_connect</c> edge contributes its source's expression unchanged (identity);</item>
    /// <item>any other op contributes <c>(source)@op</c> with op shortened to avg, c1 or c3;</item>
    /// <item>a node's expression is its three-or-fewer terms sorted ordinally and joined with <c>+</c>,
    /// so the order of the summands does not matter.</item>
    /// </list>
    /// This is the rule behind the official count, and it is coarser in some ways and finer in others
    /// than "computes the same function": skip connections are identities (a conv before or after a
    /// skip is the same cell) and ops on edges that only carry zero or never reach the output drop
    /// out; but zero terms are counted rather than removed (<c>x + 0</c> differs from <c>x</c>), so a
    /// relabelling of nodes 1 and 2 gives the same key only when the zero terms line up too (e.g. when
    /// one of them is dead), a node fed by two <c>none</c> edges is not recognised as zero, and sums
    /// spliced in through a skip are compared as text, so the same summands in another order can give
    /// another key. For comparison, strict functional equivalence (zeros removed and propagated, sums
    /// flattened, skip an identity) gives 4,930 classes, and the same with skip an ordinary op 8,765.
    /// </summary>
    public string CanonicalKey(NasBench201Cell arch)
    {
        return _keyByCode[arch.Code] ??= BuildCanonicalKey(arch);
    }

    /// <inheritdoc />
    public string Format(NasBench201Cell arch) => arch.Format();

    /// <inheritdoc />
    public NasBench201Cell Parse(string text) => NasBench201Cell.Parse(text);

    private static string BuildCanonicalKey(NasBench201Cell cell)
    {
        var expressions = new string[NasBench201Cell.NodeCount];
        expressions[0] = InputTerm;
        var terms = new List<string>(NasBench201Cell.NodeCount - 1);
        for (int target = 1; target < NasBench201Cell.NodeCount; target++)
        {
            terms.Clear();
            for (int source = 0; source < target; source++)
            {
                NasBench201Op op = cell[NasBench201Cell.EdgeIndex(source, target)];
                string input = expressions[source];
                if (op == NasBench201Op.None || input == ZeroTerm)
                {
                    terms.Add(ZeroTerm);
                }
                else if (op == NasBench201Op.SkipConnect)
                {
                    terms.Add(input);
                }
                else
                {
                    terms.Add("(" + input + ")@" + OpToken(op));
                }
            }
            terms.Sort(StringComparer.Ordinal);
            expressions[target] = string.Join('+', terms);
        }
        return expressions[^1];
    }

    // Must stay prefix-free and sort like the full op names (avg_pool < nor_conv_1x1 < nor_conv_3x3):
    // terms are compared as text, so a different order could merge or split classes.
    private static string OpToken(NasBench201Op op) => op switch
    {
        NasBench201Op.AvgPool3x3 => "avg",
        NasBench201Op.Conv1x1 => "c1",
        NasBench201Op.Conv3x3 => "c3",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Only parametric ops have a token."),
    };
}
