namespace WeakNas.Tests.Fakes;

/// <summary>An architecture of the toy space: three decisions with three choices each.</summary>
public readonly record struct ToyArch(int Code)
{
    public int this[int decision] => Code / (int)Math.Pow(3, decision) % 3;
}
