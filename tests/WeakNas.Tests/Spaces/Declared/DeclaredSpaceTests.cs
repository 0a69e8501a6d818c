using WeakNas.Numerics;
using WeakNas.Spaces.Declared;

namespace WeakNas.Tests.Spaces.Declared;

public class DeclaredSpaceTests
{
    public static TheoryData<string> Spaces() => new("nb201", "stages", "layers");

    private static DeclaredSpace Space(string name) => name switch
    {
        "nb201" => DeclaredSpaces.Nb201,
        "stages" => DeclaredSpaces.Stages,
        _ => DeclaredSpaces.Layers,
    };

    /// <summary>Decisions active in both and valued differently.</summary>
    private static int ChangedActive(DeclaredArchitecture a, DeclaredArchitecture b)
    {
        int changed = 0;
        for (int d = 0; d < a.Count; d++) if (a[d] >= 0 && b[d] >= 0 && a[d] != b[d]) changed++;
        return changed;
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Text_form_round_trips_and_keys_match_exactly_the_equal_architectures(string name)
    {
        var space = Space(name);
        var rng = new Rng(5);
        var byKey = new Dictionary<string, DeclaredArchitecture>();
        for (int i = 0; i < 500; i++)
        {
            var arch = space.Sample(rng);
            string text = space.Format(arch);
            Assert.Equal(arch, space.Parse(text));
            Assert.Equal(text, space.Format(space.Parse(text)));
            string key = space.CanonicalKey(arch);
            if (byKey.TryGetValue(key, out var seen)) Assert.Equal(seen, arch);
            else Assert.DoesNotContain(byKey.Values, other => other.Equals(arch));
            byKey[key] = arch;
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void A_mutation_changes_exactly_one_active_decision_and_is_a_neighbour(string name)
    {
        var space = Space(name);
        var rng = new Rng(6);
        for (int i = 0; i < 300; i++)
        {
            var arch = space.Sample(rng);
            var mutated = space.Mutate(arch, rng);
            Assert.Equal(1, ChangedActive(arch, mutated));
            Assert.Contains(space.Neighbours(arch), n => n.Equals(mutated) || Differs(space, n, mutated, arch));
        }
    }

    /// <summary>
    /// The neighbour that makes the same change to the decisions active before: decisions a change switches on are drawn
    /// by a mutation and take their first choice in a neighbour, so only the others must agree.
    /// </summary>
    private static bool Differs(DeclaredSpace space, DeclaredArchitecture neighbour, DeclaredArchitecture mutated, DeclaredArchitecture from)
    {
        _ = space;
        for (int d = 0; d < from.Count; d++)
            if (from[d] >= 0 && neighbour[d] != mutated[d]) return false;
        return true;
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Neighbours_are_distinct_and_one_active_decision_away(string name)
    {
        var space = Space(name);
        var rng = new Rng(7);
        for (int i = 0; i < 100; i++)
        {
            var arch = space.Sample(rng);
            var neighbours = space.Neighbours(arch);
            Assert.Equal(neighbours.Count, neighbours.Distinct().Count());
            Assert.All(neighbours, n => Assert.Equal(1, ChangedActive(arch, n)));
            int expected = Enumerable.Range(0, arch.Count).Where(d => arch[d] >= 0).Sum(d => space.Decisions[d].Choices.Count - 1);
            Assert.Equal(expected, neighbours.Count);
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Sampling_reaches_every_choice_of_every_decision(string name)
    {
        var space = Space(name);
        var rng = new Rng(8);
        var seen = space.Decisions.Select(d => new bool[d.Choices.Count]).ToArray();
        for (int i = 0; i < 3000; i++)
        {
            var arch = space.Sample(rng);
            for (int d = 0; d < arch.Count; d++) if (arch[d] >= 0) seen[d][arch[d]] = true;
        }
        for (int d = 0; d < seen.Length; d++) Assert.True(seen[d].All(s => s), $"decision {space.Decisions[d].Name} never took some choice");
    }

    [Fact]
    public void Conditions_switch_blocks_off_and_the_key_ignores_them()
    {
        var space = DeclaredSpaces.Stages;
        var shallow = space.Parse("""{"width": 32, "depth1": 1, "s1b1": "conv3x3", "depth2": 3, "s2b1": "mbconv", "s2b2": "conv5x5", "s2b3": "mbconv", "se": true}""");
        Assert.Equal(-1, shallow[space.IndexOfDecision("s1b2")]);
        Assert.Equal(-1, shallow[space.IndexOfDecision("s1b3")]);
        Assert.Equal("""{"width":32,"depth1":1,"s1b1":"conv3x3","depth2":3,"s2b1":"mbconv","s2b2":"conv5x5","s2b3":"mbconv","se":true}""", space.Format(shallow));

        // Deepening stage 1 switches s1b2 on (first choice for a neighbour); se needs depth2 3 and s2b3 mbconv.
        var deeper = space.Neighbours(shallow).Single(n => n[space.IndexOfDecision("depth1")] == 1);
        Assert.Equal(0, deeper[space.IndexOfDecision("s1b2")]);
        Assert.Equal(-1, deeper[space.IndexOfDecision("s1b3")]);
        var noSe = space.Neighbours(shallow).First(n => n[space.IndexOfDecision("s2b3")] == 0);
        Assert.Equal(-1, noSe[space.IndexOfDecision("se")]);

        // 3.0 and 3 are one value; a value for a switched-off decision is refused, naming it.
        Assert.Equal(shallow, space.Parse("""{"width": 32.0, "depth1": 1, "s1b1": "conv3x3", "depth2": 3, "s2b1": "mbconv", "s2b2": "conv5x5", "s2b3": "mbconv", "se": true}"""));
        var e = Assert.Throws<FormatException>(() => space.Parse("""{"width": 32, "depth1": 1, "s1b1": "conv3x3", "s1b3": "conv3x3", "depth2": 1, "s2b1": "mbconv"}"""));
        Assert.Equal("decision 's1b3' is inactive here (depth1 in [3] does not hold) but has a value", e.Message);
    }

    [Theory]
    [InlineData("""{"op": "conv7"}""", "decision 'op' has \"conv7\", expected one of \"conv3\", \"skip\"")]
    [InlineData("""{"op": "conv3", "extra": 1}""", "unknown decision 'extra'")]
    [InlineData("""{}""", "decision 'op' is missing")]
    [InlineData("""[1]""", "expected a JSON object of decision values")]
    [InlineData("""{"op": [1]}""", "decision 'op' has [1], expected a string, number or boolean")]
    public void Parse_errors_name_the_decision(string text, string expected)
    {
        var space = DeclaredSpaceFile.Parse("""{"name": "s", "decisions": [{"name": "op", "choices": ["conv3", "skip"]}]}""", "s.json");
        var e = Assert.Throws<FormatException>(() => space.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("""{"decisions": []}""", "s.json: no decisions declared")]
    [InlineData("""{"decisions": [{"name": "a", "choices": []}]}""", "s.json: decision 'a': \"choices\" is empty")]
    [InlineData("""{"decisions": [{"name": "a", "choices": [1, 1.0]}]}""", "s.json: decision 'a': choice 1 appears twice")]
    [InlineData("""{"decisions": [{"name": "a", "choices": [1]}, {"name": "a", "choices": [2]}]}""", "s.json: decision 'a' is declared twice")]
    [InlineData("""{"decisions": [{"name": "a", "choices": [1], "when": {"b": [1]}}, {"name": "b", "choices": [1]}]}""", "s.json: decision 'a': \"when\" names 'b', which is not a decision declared before it")]
    [InlineData("""{"decisions": [{"name": "a", "choices": [1, 2]}, {"name": "b", "choices": [1], "when": {"a": [3]}}]}""", "s.json: decision 'b': \"when\" 'a' has 3, which is not one of its choices (1, 2)")]
    [InlineData("""{"decisions": [{"name": "a", "range": {"low": 5, "high": 1}}]}""", "s.json: decision 'a': \"range\" low 5 is above high 1")]
    [InlineData("""{"decisions": [{"name": "a", "range": {"low": 0, "high": 10, "step": 0}}]}""", "s.json: decision 'a': \"range\" step must be positive, got 0")]
    [InlineData("""{"decisions": [{"name": "a", "range": {"low": 0, "high": 1000000}}]}""", "s.json: decision 'a': \"range\" has 1,000,001 values, at most 100,000")]
    [InlineData("""{"decisions": [{"name": "a", "range": {"low": 0.5, "high": 3}}]}""", "s.json: decision 'a': \"range\" low is 0.5, expected an integer")]
    [InlineData("""{"decisions": [{"name": "a", "choices": [1], "range": {"low": 0, "high": 1}}]}""", "s.json: decision 'a': has both \"choices\" and \"range\"; give one")]
    [InlineData("""{"decisions": [{"name": "a", "choices": [{"x": 1}]}]}""", "s.json: decision 'a': choice {\"x\":1} is not a string, number or boolean")]
    [InlineData("""{"decisions": [{"name": "a", "choice": [1]}]}""", "s.json: decision 'a': unknown key 'choice' (expected choices, range, when)")]
    [InlineData("""{"name": "x", "decisons": []}""", "s.json: unknown key 'decisons'")]
    [InlineData("""{"decisions": [1, 2""", "s.json: not valid JSON")]
    public void Declaration_errors_name_the_file_and_the_decision(string text, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => DeclaredSpaceFile.Parse(text, "s.json"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Yaml_and_json_declarations_of_one_space_agree()
    {
        var yaml = DeclaredSpaces.Stages;
        Assert.Equal("stages", yaml.Name);
        Assert.Equal([16m, 32m, 48m, 64m], yaml.Decisions[0].Choices.Select(c => c.Number!.Value));
        Assert.Equal(System.Text.Json.JsonValueKind.True, yaml.Decisions[^1].Choices[0].Kind);
        var e = Assert.Throws<InvalidInputException>(() => DeclaredSpaceFile.Parse("decisions:\n  a: {choices: [1\n", "bad.yaml", yaml: true));
        Assert.StartsWith("bad.yaml: not valid YAML", e.Message);
    }

    [Fact]
    public void The_one_hot_of_the_declared_nb201_cell_is_the_built_in_encoding()
    {
        var declared = DeclaredSpaces.Nb201;
        var builtIn = WeakNas.Spaces.NasBench201.NasBench201Space.Instance;
        Assert.Equal(builtIn.EncodingLength, declared.EncodingLength);
        var a = new float[declared.EncodingLength];
        var b = new float[declared.EncodingLength];
        for (int index = 0; index < builtIn.Count; index += 97)
        {
            var cell = builtIn[index];
            var arch = declared.Build((d, _) => (int)cell[d]);
            declared.Encode(arch, a);
            builtIn.Encode(cell, b);
            Assert.Equal(b, a);
        }
        var ordinal = new float[declared.OrdinalLength];
        declared.EncodeOrdinal(declared.Build((_, _) => 4), ordinal);
        Assert.All(ordinal, v => Assert.Equal(1f, v));
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void The_count_of_architectures_is_the_number_of_distinct_full_assignments(string name)
    {
        var space = Space(name);
        var distinct = new HashSet<DeclaredArchitecture>();
        var values = new int[space.Decisions.Count];
        void Enumerate(int d)
        {
            if (d == values.Length)
            {
                // Switched-off decisions are dropped, as the key drops them: Build refuses a value for them.
                var kept = (int[])values.Clone();
                for (int e = 0; e < kept.Length; e++) if (!space.IsActive(e, kept)) kept[e] = -1;
                distinct.Add(space.Build((i, _) => kept[i] < 0 ? null : kept[i]));
                return;
            }
            for (int c = 0; c < space.Decisions[d].Choices.Count; c++)
            {
                values[d] = c;
                Enumerate(d + 1);
            }
        }
        Enumerate(0);
        Assert.Equal(distinct.Count, (int)space.CountArchitectures());
    }

    [Fact]
    public void Space_check_prints_the_decisions_the_count_and_samples()
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, "stages.yaml");
        File.WriteAllText(path, DeclaredSpaces.StagesYaml);
        var (code, stdout, stderr) = WeakNas.Tests.Cli.CliRunner.Run("space", "check", path, "--samples", "2");
        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal($"stages: 10 decisions, {DeclaredSpaces.Stages.CountArchitectures():N0} architectures, one-hot encoding of 30 features", lines[0]);
        Assert.Equal("  se: true, false  when depth2 in [3] and s2b3 in [\"mbconv\"]", lines[10]);
        Assert.All(lines[11..], l => DeclaredSpaces.Stages.Parse(l));
        WeakNas.Tests.Cli.CliRunner.AssertOneLineError(WeakNas.Tests.Cli.CliRunner.Run("space", "check", path, "--samples", "5000"), "--samples must be between 0 and 1000, got 5000");
    }
}
