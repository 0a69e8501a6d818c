namespace WeakNas.Numerics;

/// <summary>
/// The parts of CPython's <c>random</c> module (Mersenne Twister MT19937) that are needed to
/// reproduce orderings made by Python tools, bit for bit: seeding from an integer,
/// <c>getrandbits</c>, <c>randrange</c>/<c>_randbelow</c>, <c>random()</c> and <c>shuffle</c>.
/// Use <see cref="Rng"/> for everything else; this generator exists only for compatibility.
/// </summary>
internal sealed class PythonRandom
{
    private const int StateSize = 624;
    private const int ShiftSize = 397;
    private const uint MatrixA = 0x9908B0DFu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7FFFFFFFu;

    private readonly uint[] _state = new uint[StateSize];
    private int _next;

    /// <summary>Equivalent to <c>random.seed(seed)</c> with a Python <c>int</c>.</summary>
    public PythonRandom(long seed)
    {
        // Python seeds from |seed| split into 32-bit words, least significant first; 0 is the key [0].
        ulong magnitude = seed < 0 ? (ulong)(-(seed + 1)) + 1 : (ulong)seed;
        uint low = (uint)magnitude;
        uint high = (uint)(magnitude >> 32);
        if (high == 0)
        {
            SeedByArray([low]);
        }
        else
        {
            SeedByArray([low, high]);
        }
    }

    /// <summary>Equivalent to <c>random.getrandbits(bits)</c> for 0 &lt;= bits &lt;= 32.</summary>
    public uint GetRandBits(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 32);
        if (bits == 0)
        {
            return 0;
        }
        // CPython keeps the top bits of one 32-bit output for small k.
        return NextUInt32() >> (32 - bits);
    }

    /// <summary>Equivalent to <c>random._randbelow(bound)</c> (and so <c>randrange(bound)</c>): uniform in [0, bound).</summary>
    public int RandBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        int bits = 32 - int.LeadingZeroCount(bound);
        // Rejection sampling on bit_length(bound) bits; bound itself is included in the bit count
        // so that bound == 1 still draws (Python consumes outputs here, and so must we).
        uint r = GetRandBits(bits);
        while (r >= (uint)bound)
        {
            r = GetRandBits(bits);
        }
        return (int)r;
    }

    /// <summary>Equivalent to <c>random.random()</c>: a double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary>Equivalent to <c>random.shuffle(items)</c>, in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = RandBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>One tempered 32-bit output of MT19937 (<c>genrand_uint32</c>).</summary>
    public uint NextUInt32()
    {
        if (_next >= StateSize)
        {
            Twist();
        }
        uint y = _state[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    private void SeedLinear(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < StateSize; i++)
        {
            uint prev = _state[i - 1];
            _state[i] = unchecked(1812433253u * (prev ^ (prev >> 30)) + (uint)i);
        }
        _next = StateSize;
    }

    private void SeedByArray(ReadOnlySpan<uint> key)
    {
        SeedLinear(19650218u);
        int i = 1;
        int j = 0;
        for (int k = Math.Max(StateSize, key.Length); k > 0; k--)
        {
            uint prev = _state[i - 1];
            _state[i] = unchecked((_state[i] ^ ((prev ^ (prev >> 30)) * 1664525u)) + key[j] + (uint)j);
            i++;
            j++;
            if (i >= StateSize)
            {
                _state[0] = _state[StateSize - 1];
                i = 1;
            }
            if (j >= key.Length)
            {
                j = 0;
            }
        }
        for (int k = StateSize - 1; k > 0; k--)
        {
            uint prev = _state[i - 1];
            _state[i] = unchecked((_state[i] ^ ((prev ^ (prev >> 30)) * 1566083941u)) - (uint)i);
            i++;
            if (i >= StateSize)
            {
                _state[0] = _state[StateSize - 1];
                i = 1;
            }
        }
        // Guarantees a non-zero state whatever the key.
        _state[0] = UpperMask;
        _next = StateSize;
    }

    private void Twist()
    {
        for (int k = 0; k < StateSize; k++)
        {
            uint y = (_state[k] & UpperMask) | (_state[(k + 1) % StateSize] & LowerMask);
            uint mixed = (y >> 1) ^ ((y & 1u) != 0 ? MatrixA : 0u);
            _state[k] = _state[(k + ShiftSize) % StateSize] ^ mixed;
        }
        _next = 0;
    }
}
