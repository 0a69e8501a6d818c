using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Tests.Fakes;

/// <summary>A 27-architecture space small enough for every strategy to exhaust.</summary>
public sealed class ToySpace : IEnumerableSearchSpace<ToyArch>
{
    public const int Decisions = 3, Choices = 3;

    public string Name => "toy";
    public int Count => 27;
    public ToyArch this[int index] => new(index);
    public int IndexOf(ToyArch arch) => arch.Code;
    public ToyArch Sample(Rng rng) => new(rng.NextInt(Count));

    public ToyArch Mutate(ToyArch arch, Rng rng)
    {
        var options = Neighbours(arch);
        return options[rng.NextInt(options.Count)];
    }

    public IReadOnlyList<ToyArch> Neighbours(ToyArch arch)
    {
        var result = new List<ToyArch>();
        for (int d = 0, weight = 1; d < Decisions; d++, weight *= Choices)
            for (int c = 0; c < Choices; c++)
                if (c != arch[d]) result.Add(new ToyArch(arch.Code + (c - arch[d]) * weight));
        return result;
    }

    public int EncodingLength => Decisions * Choices;

    public void Encode(ToyArch arch, Span<float> destination)
    {
        destination[..EncodingLength].Clear();
        for (int d = 0; d < Decisions; d++) destination[d * Choices + arch[d]] = 1;
    }

    public string CanonicalKey(ToyArch arch) => arch.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public string Format(ToyArch arch) => $"{arch[0]}-{arch[1]}-{arch[2]}";
    public ToyArch Parse(string text) => new(int.Parse(text.Replace("-", ""), System.Globalization.CultureInfo.InvariantCulture));
}
