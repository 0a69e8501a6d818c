using WeakNas.Numerics;

namespace WeakNas.Tests.Numerics;

// Expected values were produced with CPython 3.11's random module.
public class PythonRandomTests
{
    [Fact]
    public void Random_MatchesCPython_Seed0()
    {
        var r = new PythonRandom(0);
        Assert.Equal(0.8444218515250481, r.NextDouble());
        Assert.Equal(0.7579544029403025, r.NextDouble());
        Assert.Equal(0.420571580830845, r.NextDouble());
    }

    [Fact]
    public void Random_MatchesCPython_Seed42()
    {
        Assert.Equal(0.6394267984578837, new PythonRandom(42).NextDouble());
    }

    [Fact]
    public void NegativeSeed_UsesAbsoluteValue()
    {
        var r = new PythonRandom(-7);
        Assert.Equal(0.32383276483316237, r.NextDouble());
        Assert.Equal(0.15084917392450192, r.NextDouble());
    }

    [Fact]
    public void SeedWiderThan32Bits_UsesAllWords()
    {
        var r = new PythonRandom((1L << 40) + 12345);
        Assert.Equal(1332995613u, r.GetRandBits(32));
        Assert.Equal(1500173691u, r.GetRandBits(32));
        Assert.Equal(493462063u, r.GetRandBits(32));
        Assert.Equal(485306839u, new PythonRandom(1L << 32).GetRandBits(32));
        Assert.Equal(1359979423u, new PythonRandom(long.MaxValue).GetRandBits(32));
        Assert.Equal(2377109768u, new PythonRandom(long.MinValue).GetRandBits(32));
    }

    [Fact]
    public void GetRandBits_MatchesCPython()
    {
        var r = new PythonRandom(123);
        uint[] actual = [r.GetRandBits(1), r.GetRandBits(5), r.GetRandBits(17), r.GetRandBits(31), r.GetRandBits(32)];
        Assert.Equal(new uint[] { 0, 8, 11427, 1651321278, 1749090055 }, actual);
    }

    [Fact]
    public void RandBelow_MatchesCPythonRandrange()
    {
        var r = new PythonRandom(5);
        int[] actual = [r.RandBelow(1), r.RandBelow(2), r.RandBelow(3), r.RandBelow(10), r.RandBelow(1000), r.RandBelow(15625)];
        Assert.Equal(new[] { 0, 1, 2, 8, 29, 13768 }, actual);
    }

    [Fact]
    public void Shuffle_MatchesCPython()
    {
        int[] items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        new PythonRandom(9).Shuffle(items.AsSpan());
        Assert.Equal(new[] { 9, 8, 3, 2, 0, 6, 1, 4, 5, 7 }, items);
    }

    [Fact]
    public void GetRandBits_RejectsMoreThan32Bits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonRandom(1).GetRandBits(33));
    }
}
