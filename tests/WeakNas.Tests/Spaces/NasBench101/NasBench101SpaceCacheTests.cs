using WeakNas.Spaces.NasBench101;

namespace WeakNas.Tests.Spaces.NasBench101;

public class NasBench101SpaceCacheTests
{
    private static NasBench101Space Fail() => throw new InvalidOperationException("the cache should have been used");

    [Fact]
    public void A_written_cache_loads_back_identically()
    {
        using var dir = new TemporaryFolder();
        var space = EnumeratedSpace.Value;
        var built = NasBench101SpaceCache.LoadOrBuild(dir.Path, () => space);
        Assert.True(built.Built);
        Assert.Equal("no cache file yet", built.Reason);
        Assert.Equal(Path.Combine(dir.Path, NasBench101SpaceCache.FileName), built.Path);

        var loaded = NasBench101SpaceCache.LoadOrBuild(dir.Path, Fail);
        Assert.False(loaded.Built);
        Assert.Null(loaded.Reason);
        Assert.True(loaded.Space.IsComplete);
        Assert.Equal(space.Count, loaded.Space.Count);
        for (int i = 0; i < space.Count; i++)
        {
            Assert.Equal(space[i], loaded.Space[i]);
            Assert.Equal(space.HashAt(i), loaded.Space.HashAt(i));
        }
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("flip", "checksum mismatch")]
    [InlineData("truncate", "truncated or damaged")]
    [InlineData("magic", "wrong magic")]
    [InlineData("version", "format version 9")]
    [InlineData("count", "cells, expected 423624")]
    public void A_damaged_cache_is_rebuilt(string damage, string reason)
    {
        using var dir = new TemporaryFolder();
        string path = Path.Combine(dir.Path, NasBench101SpaceCache.FileName);
        NasBench101SpaceCache.Write(path, EnumeratedSpace.Value);
        byte[] good = File.ReadAllBytes(path);
        byte[] bad = (byte[])good.Clone();
        switch (damage)
        {
            case "flip": bad[bad.Length / 2] ^= 0x10; break;
            case "truncate": bad = bad[..^100]; break;
            case "magic": bad[0] = (byte)'X'; break;
            case "version": bad[8] = 9; break;
            default: bad[12] ^= 1; break;
        }
        File.WriteAllBytes(path, bad);

        int builds = 0;
        var result = NasBench101SpaceCache.LoadOrBuild(dir.Path, () => { builds++; return EnumeratedSpace.Value; });
        Assert.True(result.Built);
        Assert.Equal(1, builds);
        Assert.Contains(reason, result.Reason);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
        Assert.False(NasBench101SpaceCache.LoadOrBuild(dir.Path, Fail).Built);
    }

    [Fact]
    public void The_cache_folder_comes_from_the_option_then_the_environment_then_home()
    {
        Assert.Equal(Path.GetFullPath("/tmp/somewhere"), NasBench101SpaceCache.ResolveFolder("/tmp/somewhere"));
        string? environment = Environment.GetEnvironmentVariable(NasBench101SpaceCache.EnvironmentVariable);
        string expected = string.IsNullOrWhiteSpace(environment)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "weaknas")
            : Path.GetFullPath(environment);
        Assert.Equal(expected, NasBench101SpaceCache.ResolveFolder(null));
    }

    [Fact]
    public void Only_the_whole_space_is_cached()
    {
        using var dir = new TemporaryFolder();
        var partial = NasBench101Space.FromCells([default(NasBench101Cell)]);
        Assert.Throws<ArgumentException>(() => NasBench101SpaceCache.Write(Path.Combine(dir.Path, "x.bin"), partial));
    }
}
