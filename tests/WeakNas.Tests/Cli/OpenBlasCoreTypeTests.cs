using WeakNas.Cli.Perf;

namespace WeakNas.Tests.Cli;

public class OpenBlasCoreTypeTests
{
    [Theory]
    [InlineData(true, true, true, false, "SkylakeX")]
    [InlineData(true, true, true, true, "SkylakeX")]
    [InlineData(false, true, true, true, "Zen")]
    [InlineData(false, true, true, false, "Haswell")]
    [InlineData(false, false, true, false, "SandyBridge")]
    [InlineData(false, false, false, false, null)]
    public void The_core_type_never_asks_for_instructions_the_cpu_lacks(bool avx512, bool avx2Fma, bool avx, bool amd, string? expected)
    {
        Assert.Equal(expected, OpenBlas.CoreTypeFor(new OpenBlas.Features(avx512, avx2Fma, avx, amd)));
    }

    [Fact]
    public void This_machine_gets_skylakex_only_with_avx512()
    {
        string? chosen = OpenBlas.CoreTypeFor(OpenBlas.Features.Current);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && OpenBlas.Features.Current.Avx512, chosen == "SkylakeX");
    }
}
