using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WeakNas.Spaces.Darts;

/// <summary>
/// The three text forms DARTS architectures are exchanged in, parsed and printed:
/// <list type="bullet">
/// <item>DARTS's genotype: <c>Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])</c>
/// (a concat may also be written <c>range(2, 6)</c>, as Python prints it; strings in single or double quotes);</item>
/// <item>NASLib's compact form: <c>[[(input, op), ... 8], [... 8]]</c>, ops numbered 0 to 6 (<see cref="DartsOp"/>;
/// it has no <c>none</c>); lists or tuples at either level;</item>
/// <item>NAS-Bench-301's configuration: a JSON object with <c>NetworkSelectorDatasetInfo:darts:edge_normal_0</c> ... <c>_13</c>
/// (the 14 possible edges of a cell: node 2's from nodes 0-1 are 0-1, node 3's from 0-2 are 2-4, node 4's 5-8, node 5's
/// 9-13) naming operations, and <c>inputs_node_normal_3</c> ... <c>_5</c> naming a node's two inputs as <c>"0_2"</c>;
/// the same for <c>reduce</c>. Other keys (NAS-Bench-301's training hyperparameters) are ignored. It does not say in
/// which order a node's edges were listed: it reads them by input.</item>
/// </list>
/// </summary>
public static class DartsFormats
{
    public const string ConfigPrefix = "NetworkSelectorDatasetInfo:darts:";

    /// <summary>The first of a cell's 14 possible edges into each node (node 2's edges are 0 and 1, node 3's 2 to 4, ...).</summary>
    private static readonly int[] FirstSlot = [0, 2, 5, 9];

    /// <summary>The index among a cell's 14 possible edges of the edge from <paramref name="input"/> into <paramref name="node"/>.</summary>
    public static int Slot(int node, int input) => FirstSlot[node - 2] + input;

    /// <summary>A cell's possible edges (input → node), for encodings: 2 + 3 + 4 + 5.</summary>
    public const int Slots = 14;

    public static string Genotype(DartsGenotype g)
    {
        ArgumentNullException.ThrowIfNull(g);
        static string Cell(IReadOnlyList<DartsEdge> cell) => "[" + string.Join(", ", cell.Select(e => string.Create(CultureInfo.InvariantCulture, $"('{e.Op.Name()}', {e.Input})"))) + "]";
        return $"Genotype(normal={Cell(g.Normal)}, normal_concat=[2, 3, 4, 5], reduce={Cell(g.Reduce)}, reduce_concat=[2, 3, 4, 5])";
    }

    /// <summary>NASLib's compact form; an <see cref="ArgumentException"/> for a genotype with <c>none</c>, which it cannot write.</summary>
    public static string Compact(DartsGenotype g)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.HasNone) throw new ArgumentException("NASLib's compact form has no 'none' operation", nameof(g));
        static string Cell(IReadOnlyList<DartsEdge> cell) => "[" + string.Join(", ", cell.Select(e => string.Create(CultureInfo.InvariantCulture, $"({e.Input}, {(int)e.Op})"))) + "]";
        return $"[{Cell(g.Normal)}, {Cell(g.Reduce)}]";
    }

    /// <summary>NAS-Bench-301's configuration of the cells as a JSON object (each node's edges by input, then its inputs).</summary>
    public static string Config(DartsGenotype g)
    {
        ArgumentNullException.ThrowIfNull(g);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (cell, name) in new[] { (g.Normal, "normal"), (g.Reduce, "reduce") })
            {
                for (int k = 0; k < DartsGenotype.Nodes; k++)
                {
                    var (a, b) = (cell[2 * k], cell[2 * k + 1]);
                    if (b.Input < a.Input) (a, b) = (b, a);
                    json.WriteString(string.Create(CultureInfo.InvariantCulture, $"{ConfigPrefix}edge_{name}_{Slot(k + 2, a.Input)}"), a.Op.Name());
                    json.WriteString(string.Create(CultureInfo.InvariantCulture, $"{ConfigPrefix}edge_{name}_{Slot(k + 2, b.Input)}"), b.Op.Name());
                    if (k > 0) json.WriteString(string.Create(CultureInfo.InvariantCulture, $"{ConfigPrefix}inputs_node_{name}_{k + 2}"), string.Create(CultureInfo.InvariantCulture, $"{a.Input}_{b.Input}"));
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Any of the three forms, told apart by how it starts; a <see cref="FormatException"/> saying what is wrong and where.</summary>
    public static DartsGenotype Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.TrimStart();
        if (t.StartsWith('{')) return ParseConfig(text);
        if (t.StartsWith("Genotype", StringComparison.Ordinal)) return ParseGenotype(text);
        if (t.StartsWith('[') || t.StartsWith('(')) return ParseCompact(text);
        throw new FormatException("expected a DARTS genotype (Genotype(normal=[...], ...)), NASLib's compact form ([[(input, op), ...], [...]]) or a NAS-Bench-301 configuration (a JSON object)");
    }

    public static DartsGenotype ParseGenotype(string text)
    {
        var reader = new PyReader(text);
        var value = reader.ReadAll();
        if (value is not PyCall { Name: "Genotype" } call || call.Positional.Count > 0)
            throw new FormatException("expected Genotype(normal=[...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5]) with named fields");
        foreach (string key in call.Named.Keys)
            if (key is not ("normal" or "normal_concat" or "reduce" or "reduce_concat")) throw new FormatException($"Genotype has no field '{key}'; expected normal, normal_concat, reduce, reduce_concat");
        var cells = new List<DartsEdge>[2];
        foreach (var (name, i) in new[] { ("normal", 0), ("reduce", 1) })
        {
            if (!call.Named.TryGetValue(name, out var cell)) throw new FormatException($"Genotype has no {name}=[...]");
            if (cell is not PyList { Items: var items }) throw new FormatException($"{name} must be a list of (operation, input) pairs");
            cells[i] = [];
            for (int e = 0; e < items.Count; e++)
            {
                if (items[e] is not PyList { Items: [PyString op, PyInt input] })
                    throw new FormatException($"{name} edge {e}: expected ('operation', input), got {items[e]}");
                var known = DartsOps.Find(op.Value) ?? throw new FormatException($"{name} edge {e}: unknown operation '{op.Value}'; expected one of {DartsOps.AllNames}");
                cells[i].Add(new DartsEdge(Narrow(input.Value, $"{name} edge {e}"), known));
            }
            if (call.Named.TryGetValue(name + "_concat", out var concat)) CheckConcat(concat, name + "_concat");
        }
        return Make(cells[0], cells[1]);
    }

    public static DartsGenotype ParseCompact(string text)
    {
        var value = new PyReader(text).ReadAll();
        if (value is not PyList { Items: [PyList normal, PyList reduce] })
            throw new FormatException("NASLib's compact form is two cells, [[(input, op), ...], [(input, op), ...]]");
        var cells = new List<DartsEdge>[2];
        foreach (var (cell, name, i) in new[] { (normal, "normal", 0), (reduce, "reduce", 1) })
        {
            cells[i] = [];
            for (int e = 0; e < cell.Items.Count; e++)
            {
                if (cell.Items[e] is not PyList { Items: [PyInt input, PyInt op] })
                    throw new FormatException($"{name} edge {e}: expected (input, op), got {cell.Items[e]}");
                if (op.Value is < 0 or > 6) throw new FormatException($"{name} edge {e}: operation {op.Value} is outside 0..6 ({string.Join(", ", DartsOps.Searched.Select((o, k) => $"{k} {o.Name()}"))})");
                cells[i].Add(new DartsEdge(Narrow(input.Value, $"{name} edge {e}"), (DartsOp)op.Value));
            }
        }
        return Make(cells[0], cells[1]);
    }

    public static DartsGenotype ParseConfig(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a JSON object: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("a NAS-Bench-301 configuration is a JSON object");
        var edges = new Dictionary<(string Cell, int Slot), DartsOp>();
        var inputs = new Dictionary<(string Cell, int Node), (int, int)>();
        foreach (var property in root.EnumerateObject())
        {
            string key = property.Name;
            if (!key.StartsWith(ConfigPrefix, StringComparison.Ordinal)) continue;
            string rest = key[ConfigPrefix.Length..];
            if (rest.StartsWith("edge_", StringComparison.Ordinal))
            {
                var (cell, number) = CellAndNumber(key, rest["edge_".Length..], 0, Slots - 1);
                if (property.Value.ValueKind != JsonValueKind.String || DartsOps.Find(property.Value.GetString()!) is not { } op)
                    throw new FormatException($"'{key}' is {property.Value.GetRawText()}; expected one of {DartsOps.AllNames}");
                edges[(cell, number)] = op;
            }
            else if (rest.StartsWith("inputs_node_", StringComparison.Ordinal))
            {
                var (cell, node) = CellAndNumber(key, rest["inputs_node_".Length..], 3, 5);
                string? pair = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                var parts = pair?.Split('_');
                if (parts is not { Length: 2 } || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                    || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b) || a >= b || b >= node)
                    throw new FormatException($"'{key}' is {property.Value.GetRawText()}; expected two of the nodes 0 to {node - 1}, lower first, as \"0_{node - 1}\"");
                inputs[(cell, node)] = (a, b);
            }
        }
        var cells = new List<DartsEdge>[2];
        foreach (var (cell, i) in new[] { ("normal", 0), ("reduce", 1) })
        {
            cells[i] = [];
            for (int node = 2; node <= 5; node++)
            {
                (int, int) pair = (0, 1);
                if (node > 2 && !inputs.TryGetValue((cell, node), out pair)) throw new FormatException($"no '{ConfigPrefix}inputs_node_{cell}_{node}'");
                for (int input = 0; input < node; input++)
                {
                    bool chosen = input == pair.Item1 || input == pair.Item2;
                    bool given = edges.TryGetValue((cell, Slot(node, input)), out var op);
                    if (chosen && !given) throw new FormatException($"node {node} of the {cell} cell reads node {input}, but '{ConfigPrefix}edge_{cell}_{Slot(node, input)}' is missing");
                    if (!chosen && given) throw new FormatException($"'{ConfigPrefix}edge_{cell}_{Slot(node, input)}' names an edge from node {input} into node {node}, which reads nodes {pair.Item1} and {pair.Item2}");
                    if (chosen) cells[i].Add(new DartsEdge(input, op));
                }
            }
        }
        return Make(cells[0], cells[1]);

        static (string Cell, int Number) CellAndNumber(string key, string rest, int low, int high)
        {
            int underscore = rest.IndexOf('_', StringComparison.Ordinal);
            string cell = underscore < 0 ? rest : rest[..underscore];
            if (cell is not ("normal" or "reduce") || !int.TryParse(rest[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < low || number > high)
                throw new FormatException($"'{key}' is not a choice of the DARTS cells (expected normal or reduce and a number from {low} to {high})");
            return (cell, number);
        }
    }

    private static DartsGenotype Make(List<DartsEdge> normal, List<DartsEdge> reduce) =>
        DartsGenotype.Check(normal, reduce) is { } problem ? throw new FormatException(problem) : new DartsGenotype(normal, reduce);

    private static int Narrow(long value, string where) => value is >= 0 and <= 5 ? (int)value : throw new FormatException($"{where}: input {value} is outside 0..5");

    private static void CheckConcat(PyValue concat, string name)
    {
        bool ok = concat switch
        {
            PyList { Items: var items } => items.Count == 4 && items.Select((v, i) => v is PyInt { Value: var n } && n == i + 2).All(b => b),
            PyCall { Name: "range", Positional: [PyInt { Value: 2 }, PyInt { Value: 6 }], Named.Count: 0 } => true,
            _ => false,
        };
        if (!ok) throw new FormatException($"{name} is {concat}; this space's cells concatenate nodes 2 to 5 ([2, 3, 4, 5] or range(2, 6))");
    }

    // A small reader of the Python literals genotypes are written in: calls with positional and keyword arguments,
    // lists and tuples, integers, strings in single or double quotes.
    private abstract record PyValue;

    private sealed record PyInt(long Value) : PyValue
    {
        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed record PyString(string Value) : PyValue
    {
        public override string ToString() => $"'{Value}'";
    }

    private sealed record PyList(IReadOnlyList<PyValue> Items) : PyValue
    {
        public override string ToString() => "[" + string.Join(", ", Items) + "]";
    }

    private sealed record PyCall(string Name, IReadOnlyList<PyValue> Positional, IReadOnlyDictionary<string, PyValue> Named) : PyValue
    {
        public override string ToString() => $"{Name}(...)";
    }

    private sealed class PyReader(string text)
    {
        private int _at;

        public PyValue ReadAll()
        {
            var value = Value();
            Space();
            if (_at < text.Length) throw Error($"unexpected '{text[_at]}' after the end");
            return value;
        }

        private FormatException Error(string what) => new($"{what} at character {_at + 1}");

        private void Space()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private bool Take(char c)
        {
            Space();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!Take(c)) throw Error(_at < text.Length ? $"expected '{c}', found '{text[_at]}'" : $"expected '{c}', found the end");
        }

        private PyValue Value()
        {
            Space();
            if (_at >= text.Length) throw Error("expected a value, found the end");
            char c = text[_at];
            if (c is '[' or '(')
            {
                _at++;
                return new PyList(Items(c == '[' ? ']' : ')'));
            }
            if (c is '\'' or '"')
            {
                int start = ++_at;
                while (_at < text.Length && text[_at] != c) _at++;
                if (_at >= text.Length) throw Error("unterminated string");
                return new PyString(text[start.._at++]);
            }
            if (char.IsAsciiDigit(c) || c == '-')
            {
                int start = _at++;
                while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
                if (!long.TryParse(text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                    throw Error($"'{text[start.._at]}' is not an integer");
                return new PyInt(n);
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                string name = Name();
                Expect('(');
                var positional = new List<PyValue>();
                var named = new Dictionary<string, PyValue>(StringComparer.Ordinal);
                if (!Take(')'))
                {
                    do
                    {
                        Space();
                        int mark = _at;
                        if (_at < text.Length && (char.IsAsciiLetter(text[_at]) || text[_at] == '_'))
                        {
                            string key = Name();
                            if (Take('='))
                            {
                                if (!named.TryAdd(key, Value())) throw Error($"{name}() names '{key}' twice");
                                continue;
                            }
                            _at = mark;
                        }
                        if (named.Count > 0) throw Error("a positional argument after a named one");
                        positional.Add(Value());
                    }
                    while (Take(','));
                    Expect(')');
                }
                return new PyCall(name, positional, named);
            }
            throw Error($"unexpected '{c}'");
        }

        private string Name()
        {
            int start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
            return text[start.._at];
        }

        private List<PyValue> Items(char close)
        {
            var items = new List<PyValue>();
            if (Take(close)) return items;
            do
            {
                if (Take(close)) return items; // a trailing comma, as in (1,)
                items.Add(Value());
            }
            while (Take(','));
            Expect(close);
            return items;
        }
    }
}
