using System.Buffers.Binary;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// MD5 of many short messages at once, for the module hash (about 50 messages of 66..252 bytes per cell,
/// 20 million for the whole space). With AVX2 eight messages go through the MD5 rounds together, one per
/// 32-bit lane, which is about ten times faster than one call of the platform's MD5 per message. The
/// platform's MD5 is used without AVX2, and also when this assembly runs unoptimised (a Debug build): the
/// vector code then spills every value to the stack and is slower than the platform call.
/// </summary>
internal static unsafe class NasBench101Md5
{
    /// <summary>Bytes each message may occupy in the caller's arena: 5 blocks, the longest message (252 bytes) with its padding.</summary>
    public const int SlotSize = 5 * BlockSize;

    /// <summary>Bytes of a digest.</summary>
    public const int DigestSize = 16;

    private const int BlockSize = 64;
    private const int Lanes = 8;

    // The RFC 1321 constants: floor(|sin(i + 1)| · 2^32). Doubles give them exactly; the tests compare
    // every digest against the platform's MD5.
    private static readonly uint[] K = BuildConstants();
    private static readonly int[] Shifts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

    /// <summary>True when the eight-lane kernel is used unless a caller says otherwise.</summary>
    public static bool VectorsByDefault { get; } = Avx2.IsSupported && JitOptimizes();

    /// <summary>True when eight-lane hashing can run on this machine at all.</summary>
    public static bool VectorsSupported => Avx2.IsSupported;

    private static bool JitOptimizes() =>
        typeof(NasBench101Md5).Assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// <summary>
    /// Writes the digest of message i (at <paramref name="arena"/> + offsets[i], lengths[i] bytes, in a slot
    /// of <see cref="SlotSize"/> bytes that this may pad in place) to digests[16·i ..].
    /// </summary>
    public static void HashMany(byte* arena, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, Span<byte> digests, bool vectors)
    {
        int count = offsets.Length;
        if (!vectors || !Avx2.IsSupported)
        {
            for (int i = 0; i < count; i++) Platform(new ReadOnlySpan<byte>(arena + offsets[i], lengths[i]), digests.Slice(i * DigestSize, DigestSize));
            return;
        }

        // Pad every message in place, then group messages of equal block count so that lanes rarely idle.
        Span<int> byBlocks = count <= 1024 ? stackalloc int[count] : new int[count];
        Span<int> start = stackalloc int[SlotSize / BlockSize + 2];
        start.Clear();
        // start[b + 1] counts the messages of b blocks; after the running sum, start[b] is where they begin.
        for (int i = 0; i < count; i++) start[Pad(arena + offsets[i], lengths[i]) + 1]++;
        for (int b = 1; b < start.Length; b++) start[b] += start[b - 1];
        for (int i = 0; i < count; i++) byBlocks[start[BlockCount(lengths[i])]++] = i;

        int* laneOffset = stackalloc int[Lanes];
        int* laneBlocks = stackalloc int[Lanes];
        uint* state = stackalloc uint[4 * Lanes];
        for (int first = 0; first < count; first += Lanes)
        {
            int used = Math.Min(Lanes, count - first);
            int maxBlocks = 0;
            for (int lane = 0; lane < Lanes; lane++)
            {
                // Idle lanes read the first message's memory but never add to their state.
                int message = byBlocks[first + Math.Min(lane, used - 1)];
                laneOffset[lane] = offsets[message];
                laneBlocks[lane] = lane < used ? BlockCount(lengths[message]) : 0;
                maxBlocks = Math.Max(maxBlocks, laneBlocks[lane]);
            }
            Hash8(arena, laneOffset, laneBlocks, maxBlocks, state);
            for (int lane = 0; lane < used; lane++)
            {
                Span<byte> digest = digests.Slice(byBlocks[first + lane] * DigestSize, DigestSize);
                for (int word = 0; word < 4; word++) BinaryPrimitives.WriteUInt32LittleEndian(digest[(4 * word)..], state[word * Lanes + lane]);
            }
        }
    }

    private static int BlockCount(int length) => (length + 8) / BlockSize + 1;

    // MD5 padding: 0x80, zeros, and the bit length as 64-bit little-endian, to a whole number of blocks.
    private static int Pad(byte* message, int length)
    {
        int blocks = BlockCount(length);
        var tail = new Span<byte>(message + length, blocks * BlockSize - length);
        tail.Clear();
        tail[0] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[^8..], (ulong)length * 8);
        return blocks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Hash8(byte* arena, int* laneOffset, int* laneBlocks, int maxBlocks, uint* state)
    {
        Vector256<int> offsets = Avx.LoadVector256(laneOffset);
        Vector256<int> blocks = Avx.LoadVector256(laneBlocks);
        Vector256<uint> ones = Vector256<uint>.AllBitsSet;
        Vector256<uint> a0 = Vector256.Create(0x67452301u), b0 = Vector256.Create(0xefcdab89u);
        Vector256<uint> c0 = Vector256.Create(0x98badcfeu), d0 = Vector256.Create(0x10325476u);
        Vector256<uint>* m = stackalloc Vector256<uint>[16];
        fixed (uint* k = K)
        fixed (int* s = Shifts)
        {
            for (int block = 0; block < maxBlocks; block++)
            {
                // Word i of every lane's block, gathered from the eight messages.
                Vector256<int> at = Avx2.Add(offsets, Vector256.Create(block * BlockSize));
                for (int i = 0; i < 16; i++) m[i] = Avx2.GatherVector256((uint*)arena, Avx2.Add(at, Vector256.Create(4 * i)), 1);

                Vector256<uint> a = a0, b = b0, c = c0, d = d0;
                for (int i = 0; i < 16; i++)
                {
                    Vector256<uint> f = Avx2.Or(Avx2.And(b, c), Avx2.AndNot(b, d));
                    Step(ref a, ref b, ref c, ref d, f, k[i], m[i], s[i & 3]);
                }
                for (int i = 16; i < 32; i++)
                {
                    Vector256<uint> f = Avx2.Or(Avx2.And(d, b), Avx2.AndNot(d, c));
                    Step(ref a, ref b, ref c, ref d, f, k[i], m[(5 * i + 1) & 15], s[4 + (i & 3)]);
                }
                for (int i = 32; i < 48; i++)
                {
                    Vector256<uint> f = Avx2.Xor(Avx2.Xor(b, c), d);
                    Step(ref a, ref b, ref c, ref d, f, k[i], m[(3 * i + 5) & 15], s[8 + (i & 3)]);
                }
                for (int i = 48; i < 64; i++)
                {
                    Vector256<uint> f = Avx2.Xor(c, Avx2.Or(b, Avx2.Xor(d, ones)));
                    Step(ref a, ref b, ref c, ref d, f, k[i], m[(7 * i) & 15], s[12 + (i & 3)]);
                }

                // A lane whose message has fewer blocks keeps its finished state.
                Vector256<uint> active = Avx2.CompareGreaterThan(blocks, Vector256.Create(block)).AsUInt32();
                a0 = Avx2.Add(a0, Avx2.And(a, active));
                b0 = Avx2.Add(b0, Avx2.And(b, active));
                c0 = Avx2.Add(c0, Avx2.And(c, active));
                d0 = Avx2.Add(d0, Avx2.And(d, active));
            }
        }
        Avx.Store(state, a0);
        Avx.Store(state + Lanes, b0);
        Avx.Store(state + 2 * Lanes, c0);
        Avx.Store(state + 3 * Lanes, d0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d,
        Vector256<uint> f, uint k, Vector256<uint> word, int shift)
    {
        f = Avx2.Add(Avx2.Add(f, a), Avx2.Add(Vector256.Create(k), word));
        a = d;
        d = c;
        c = b;
        b = Avx2.Add(b, Avx2.Or(
            Avx2.ShiftLeftLogical(f, Vector128.CreateScalarUnsafe((uint)shift)),
            Avx2.ShiftRightLogical(f, Vector128.CreateScalarUnsafe((uint)(32 - shift)))));
    }

    // MD5 is what the benchmark's identifiers are made of; nothing here depends on it being secure.
#pragma warning disable CA5351
    /// <summary>The platform's MD5 of one message.</summary>
    public static void Platform(ReadOnlySpan<byte> message, Span<byte> digest) => MD5.HashData(message, digest);
#pragma warning restore CA5351

    private static uint[] BuildConstants()
    {
        var k = new uint[64];
        for (int i = 0; i < k.Length; i++) k[i] = (uint)(long)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0);
        return k;
    }
}
