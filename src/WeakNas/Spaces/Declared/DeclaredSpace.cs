using System.Text;
using WeakNas.Numerics;

namespace WeakNas.Spaces.Declared;

/// <summary>
/// A search space declared in a file (<see cref="DeclaredSpaceFile"/>): named decisions, each a list of choices
/// (categorical, or an integer range), some switched on only by the values of earlier ones (a stage's depth turns its
/// later blocks off). Sampling draws each active decision uniformly in declaration order, as define-by-run samplers do;
/// a mutation changes one active decision to another of its choices, drawing any decision it switches on; the text
/// form and canonical key are the JSON object of the active decisions' values in declaration order.
/// </summary>
public sealed class DeclaredSpace : ISearchSpace<DeclaredArchitecture>
{
    private readonly int[] _offsets;

    public DeclaredSpace(string name, IReadOnlyList<DeclaredDecision> decisions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(decisions);
        Name = name;
        Decisions = decisions;
        _offsets = new int[decisions.Count + 1];
        for (int d = 0; d < decisions.Count; d++)
        {
            if (decisions[d].Choices.Count == 0) throw new ArgumentException($"decision '{decisions[d].Name}' has no choices", nameof(decisions));
            foreach (var c in decisions[d].When)
                if (c.Decision < 0 || c.Decision >= d) throw new ArgumentException($"decision '{decisions[d].Name}' depends on a later decision", nameof(decisions));
            _offsets[d + 1] = _offsets[d] + decisions[d].Choices.Count;
        }
    }

    public string Name { get; }

    public IReadOnlyList<DeclaredDecision> Decisions { get; }

    /// <summary>One-hot length: every choice of every decision (an inactive decision's block is all zeros).</summary>
    public int EncodingLength => _offsets[^1];

    /// <summary>Ordinal length: one number per decision.</summary>
    public int OrdinalLength => Decisions.Count;

    /// <summary>True when decision <paramref name="decision"/> exists given the values of the decisions before it.</summary>
    public bool IsActive(int decision, ReadOnlySpan<int> values)
    {
        foreach (var c in Decisions[decision].When)
            if (values[c.Decision] < 0 || !c.Choices.Contains(values[c.Decision])) return false;
        return true;
    }

    /// <summary>Every active decision drawn uniformly among its choices, in declaration order.</summary>
    public DeclaredArchitecture Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var values = new int[Decisions.Count];
        for (int d = 0; d < values.Length; d++) values[d] = IsActive(d, values) ? rng.NextInt(Decisions[d].Choices.Count) : -1;
        return new DeclaredArchitecture(values);
    }

    /// <summary>
    /// One active decision changed to another of its choices, drawn uniformly over all (decision, other choice) pairs;
    /// decisions it switches on are drawn uniformly, those it switches off become inactive. An architecture with no
    /// decision that has a second choice comes back unchanged.
    /// </summary>
    public DeclaredArchitecture Mutate(DeclaredArchitecture arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(rng);
        int moves = 0;
        for (int d = 0; d < Decisions.Count; d++) if (arch[d] >= 0) moves += Decisions[d].Choices.Count - 1;
        if (moves == 0) return arch;
        int pick = rng.NextInt(moves);
        for (int d = 0; d < Decisions.Count; d++)
        {
            if (arch[d] < 0) continue;
            int others = Decisions[d].Choices.Count - 1;
            if (pick >= others)
            {
                pick -= others;
                continue;
            }
            // The pick-th of the other choices, skipping over the current one.
            int choice = pick >= arch[d] ? pick + 1 : pick;
            return Resolve(arch, d, choice, rng);
        }
        throw new InvalidOperationException("unreachable: the move count covers every decision");
    }

    /// <summary>
    /// Every architecture with one active decision changed to another of its choices, in declaration order; a decision
    /// that a change switches on takes its first choice.
    /// </summary>
    public IReadOnlyList<DeclaredArchitecture> Neighbours(DeclaredArchitecture arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var result = new List<DeclaredArchitecture>();
        for (int d = 0; d < Decisions.Count; d++)
        {
            if (arch[d] < 0) continue;
            for (int choice = 0; choice < Decisions[d].Choices.Count; choice++)
                if (choice != arch[d]) result.Add(Resolve(arch, d, choice, rng: null));
        }
        return result;
    }

    private DeclaredArchitecture Resolve(DeclaredArchitecture arch, int changed, int choice, Rng? rng)
    {
        var values = arch.ToArray();
        values[changed] = choice;
        for (int d = changed + 1; d < values.Length; d++)
        {
            bool active = IsActive(d, values);
            if (!active) values[d] = -1;
            else if (values[d] < 0) values[d] = rng?.NextInt(Decisions[d].Choices.Count) ?? 0;
        }
        return new DeclaredArchitecture(values);
    }

    /// <summary>One-hot: for each decision a block of its choices, the chosen one 1; an inactive decision all zeros.</summary>
    public void Encode(DeclaredArchitecture arch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(arch);
        if (destination.Length < EncodingLength) throw new ArgumentException($"Need {EncodingLength} floats, got {destination.Length}.", nameof(destination));
        destination[..EncodingLength].Clear();
        for (int d = 0; d < Decisions.Count; d++)
            if (arch[d] >= 0) destination[_offsets[d] + arch[d]] = 1f;
    }

    /// <summary>Ordinal: per decision its choice's position scaled to [0, 1] (a lone choice 0), -1 when inactive.</summary>
    public void EncodeOrdinal(DeclaredArchitecture arch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(arch);
        if (destination.Length < OrdinalLength) throw new ArgumentException($"Need {OrdinalLength} floats, got {destination.Length}.", nameof(destination));
        for (int d = 0; d < Decisions.Count; d++)
        {
            int n = Decisions[d].Choices.Count;
            destination[d] = arch[d] < 0 ? -1f : n == 1 ? 0f : arch[d] / (float)(n - 1);
        }
    }

    /// <summary>The text form: equal for exactly the equal architectures (inactive decisions are left out).</summary>
    public string CanonicalKey(DeclaredArchitecture arch) => Format(arch);

    /// <summary>The JSON object of the active decisions' values, in declaration order: <c>{"depth":3,"op":"conv3x3"}</c>.</summary>
    public string Format(DeclaredArchitecture arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var text = new StringBuilder("{");
        for (int d = 0; d < Decisions.Count; d++)
        {
            if (arch[d] < 0) continue;
            if (text.Length > 1) text.Append(',');
            text.Append(System.Text.Json.JsonSerializer.Serialize(Decisions[d].Name)).Append(':').Append(Decisions[d].Choices[arch[d]].Json);
        }
        return text.Append('}').ToString();
    }

    /// <summary>
    /// Parses the text form. Every active decision must be given one of its choices; an unknown decision, a value that
    /// is not a choice, a missing active decision or a value for an inactive one is a <see cref="FormatException"/> naming it.
    /// </summary>
    public DeclaredArchitecture Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        System.Text.Json.JsonDocument document;
        try
        {
            document = System.Text.Json.JsonDocument.Parse(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"not a JSON object of decision values: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object) throw new FormatException("expected a JSON object of decision values, e.g. {\"op\": \"conv3x3\"}");
            var given = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (IndexOfDecision(property.Name) < 0) throw new FormatException($"unknown decision '{property.Name}'; the space {Name} declares {string.Join(", ", Decisions.Select(d => d.Name))}");
                if (!given.TryAdd(property.Name, property.Value)) throw new FormatException($"decision '{property.Name}' is given twice");
            }
            return Build((d, name) =>
            {
                if (!given.TryGetValue(name, out var element)) return null;
                var value = DeclaredChoice.FromJson(element) ?? throw new FormatException($"decision '{name}' has {element.GetRawText()}, expected a string, number or boolean");
                int index = Decisions[d].IndexOf(value);
                return index >= 0 ? index : throw new FormatException($"decision '{name}' has {value.Json}, expected one of {string.Join(", ", Decisions[d].Choices.Select(c => c.Json))}");
            });
        }
    }

    /// <summary>
    /// An architecture from each decision's choice index, given by <paramref name="choiceOf"/> (null: not given); the
    /// active decisions must all be given and the inactive ones not.
    /// </summary>
    public DeclaredArchitecture Build(Func<int, string, int?> choiceOf)
    {
        ArgumentNullException.ThrowIfNull(choiceOf);
        var values = new int[Decisions.Count];
        for (int d = 0; d < values.Length; d++)
        {
            int? choice = choiceOf(d, Decisions[d].Name);
            if (IsActive(d, values))
                values[d] = choice ?? throw new FormatException($"decision '{Decisions[d].Name}' is missing");
            else if (choice != null)
                throw new FormatException($"decision '{Decisions[d].Name}' is inactive here ({DescribeConditions(d)} does not hold) but has a value");
            else
                values[d] = -1;
        }
        return new DeclaredArchitecture(values);
    }

    /// <summary>
    /// How many distinct architectures the declaration admits (switched-off decisions do not count), exactly: a
    /// depth-first count that remembers, per decision, the values of the earlier decisions that conditions still read.
    /// </summary>
    public System.Numerics.BigInteger CountArchitectures()
    {
        // lastReader[d]: the last decision whose conditions read decision d (-1: none).
        var lastReader = Enumerable.Repeat(-1, Decisions.Count).ToArray();
        for (int d = 0; d < Decisions.Count; d++) foreach (var c in Decisions[d].When) lastReader[c.Decision] = Math.Max(lastReader[c.Decision], d);
        var memo = new Dictionary<string, System.Numerics.BigInteger>(StringComparer.Ordinal);
        var values = new int[Decisions.Count];
        return Count(0);

        System.Numerics.BigInteger Count(int d)
        {
            if (d == Decisions.Count) return System.Numerics.BigInteger.One;
            var key = new StringBuilder().Append(d).Append(':');
            for (int e = 0; e < d; e++) if (lastReader[e] >= d) key.Append(e).Append('=').Append(values[e]).Append(',');
            string k = key.ToString();
            if (memo.TryGetValue(k, out var known)) return known;
            System.Numerics.BigInteger total = 0;
            if (!IsActive(d, values))
            {
                values[d] = -1;
                total = Count(d + 1);
            }
            else
            {
                for (int choice = 0; choice < Decisions[d].Choices.Count; choice++)
                {
                    values[d] = choice;
                    total += Count(d + 1);
                }
            }
            values[d] = 0;
            return memo[k] = total;
        }
    }

    /// <summary>
    /// The declaration as canonical JSON (ranges listed as choices), from which <see cref="DeclaredSpaceFile.Parse"/>
    /// rebuilds this space: what a study stores so every process searches the same space.
    /// </summary>
    public string ToDeclarationJson()
    {
        var decisions = new System.Text.Json.Nodes.JsonArray();
        foreach (var d in Decisions)
        {
            var node = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = d.Name,
                ["choices"] = new System.Text.Json.Nodes.JsonArray(d.Choices.Select(c => System.Text.Json.Nodes.JsonNode.Parse(c.Json)).ToArray()),
            };
            if (d.When.Count > 0)
            {
                var when = new System.Text.Json.Nodes.JsonObject();
                foreach (var c in d.When)
                    when[Decisions[c.Decision].Name] = new System.Text.Json.Nodes.JsonArray(c.Choices.Select(i => System.Text.Json.Nodes.JsonNode.Parse(Decisions[c.Decision].Choices[i].Json)).ToArray());
                node["when"] = when;
            }
            decisions.Add(node);
        }
        return new System.Text.Json.Nodes.JsonObject { ["name"] = Name, ["decisions"] = decisions }.ToJsonString();
    }

    /// <summary>
    /// A pool of <paramref name="size"/> distinct architectures drawn once from <paramref name="seed"/> (every one of
    /// them, in enumeration order, when the space has no more): the candidates a study over this space searches, the
    /// same in every process that draws it.
    /// </summary>
    public IReadOnlyList<DeclaredArchitecture> Pool(int size, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (CountArchitectures() <= size) return Enumerate();
        var rng = Rng.Derive(seed, PoolStream);
        var pool = new List<DeclaredArchitecture>(size);
        var seen = new HashSet<DeclaredArchitecture>(size);
        for (long attempts = 0; pool.Count < size; attempts++)
        {
            if (attempts > 100L * size)
                throw new InvalidInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"space {Name}: drew only {pool.Count:N0} distinct architectures in {attempts:N0} samples; ask for a smaller pool"));
            var arch = Sample(rng);
            if (seen.Add(arch)) pool.Add(arch);
        }
        return pool;
    }

    /// <summary>The random stream a pool is drawn from.</summary>
    private const ulong PoolStream = 7_000_000;

    /// <summary>Every architecture, depth first in declaration and choice order.</summary>
    public IReadOnlyList<DeclaredArchitecture> Enumerate()
    {
        var result = new List<DeclaredArchitecture>();
        var values = new int[Decisions.Count];
        Walk(0);
        return result;

        void Walk(int d)
        {
            if (d == values.Length)
            {
                result.Add(new DeclaredArchitecture((int[])values.Clone()));
                return;
            }
            if (!IsActive(d, values))
            {
                values[d] = -1;
                Walk(d + 1);
                return;
            }
            for (int choice = 0; choice < Decisions[d].Choices.Count; choice++)
            {
                values[d] = choice;
                Walk(d + 1);
            }
        }
    }

    /// <summary>The decision's position, or -1.</summary>
    public int IndexOfDecision(string name)
    {
        for (int d = 0; d < Decisions.Count; d++) if (Decisions[d].Name == name) return d;
        return -1;
    }

    private string DescribeConditions(int decision) =>
        string.Join(" and ", Decisions[decision].When.Select(c =>
            $"{Decisions[c.Decision].Name} in [{string.Join(", ", c.Choices.Select(i => Decisions[c.Decision].Choices[i].Json))}]"));
}
