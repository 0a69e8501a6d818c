using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using WeakNas.Spaces.NasBench101;

namespace WeakNas.Data;

/// <summary>
/// Trained NAS-Bench-101 cells keyed by module hash: for each row the hash, the cell, its parameter count,
/// and for each training budget (epochs) and each training repeat the final validation accuracy, test
/// accuracy (fractions) and training time (seconds); NaN where a repeat or value is missing. Rows keep the
/// order of their source (for an imported TFRecord, the order of the official API's <c>hash_iterator()</c>).
/// <para>
/// On disk (<see cref="Write"/>, <see cref="Read"/>) it is a compact little-endian binary file: the magic
/// <c>WNB101TB</c>, format version, row count, budget count, repeat count, the budgets, then the columns —
/// hashes (16 bytes each), cell codes, parameter counts, and (validation, test, time) as float32 for each row,
/// budget and repeat — and finally the CRC-32C of everything before it. The benchmark's values are float32
/// results stored as doubles, so float32 keeps them exactly. The file is written atomically.
/// </para>
/// </summary>
public sealed class NasBench101Table
{
    /// <summary>The data folder's subfolder for NAS-Bench-101.</summary>
    public const string FolderName = "nasbench101";

    /// <summary>The imported table's file name.</summary>
    public const string DefaultFileName = "nb101_table.bin";

    /// <summary>Version of the binary layout.</summary>
    public const int FormatVersion = 1;

    private const int ValuesPerRun = 3;
    private const int FixedHeader = 8 + 4 * 4;
    private static ReadOnlySpan<byte> Magic => "WNB101TB"u8;

    private readonly NasBench101Hash[] _hashes;
    private readonly uint[] _codes;
    private readonly int[] _parameters;
    private readonly int[] _budgets;
    private readonly float[] _values;

    internal NasBench101Table(NasBench101Hash[] hashes, uint[] codes, int[] parameters, int[] budgets, int repeats, float[] values, string source)
    {
        int rows = hashes.Length;
        if (codes.Length != rows || parameters.Length != rows)
            throw new ArgumentException("hashes, codes and parameters must have one entry per row");
        if (budgets.Length == 0) throw new ArgumentException("a table needs at least one training budget", nameof(budgets));
        for (int b = 0; b < budgets.Length; b++)
            if (budgets[b] <= 0 || (b > 0 && budgets[b] <= budgets[b - 1]))
                throw new ArgumentException($"budgets must be positive and ascending, got {string.Join(", ", budgets)}", nameof(budgets));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        if (values.Length != (long)rows * budgets.Length * repeats * ValuesPerRun)
            throw new ArgumentException($"{values.Length} values for {rows} rows × {budgets.Length} budgets × {repeats} repeats × {ValuesPerRun}", nameof(values));
        _hashes = hashes;
        _codes = codes;
        _parameters = parameters;
        _budgets = budgets;
        _values = values;
        Repeats = repeats;
        Source = source;
    }

    /// <summary>Where the table came from, for messages.</summary>
    public string Source { get; }

    /// <summary>Number of rows (cells).</summary>
    public int Count => _hashes.Length;

    /// <summary>Training budgets present, in epochs, ascending (e.g. 108, or 4, 12, 36, 108).</summary>
    public IReadOnlyList<int> Budgets => _budgets;

    /// <summary>Training repeats per budget (3 in the official data).</summary>
    public int Repeats { get; }

    /// <summary>The position of <paramref name="epochs"/> in <see cref="Budgets"/>, or -1.</summary>
    public int BudgetIndex(int epochs) => Array.IndexOf(_budgets, epochs);

    /// <summary>The module hash of row <paramref name="row"/>.</summary>
    public NasBench101Hash Hash(int row) => _hashes[row];

    /// <summary>The cell of row <paramref name="row"/>.</summary>
    public NasBench101Cell Cell(int row) => NasBench101Cell.FromValidCode(_codes[row]);

    /// <summary>Trainable parameters of row <paramref name="row"/>'s model.</summary>
    public int Parameters(int row) => _parameters[row];

    /// <summary>Final validation accuracy (fraction) of one repeat at one budget; NaN if missing.</summary>
    public double ValidationAccuracy(int row, int budgetIndex, int repeat) => _values[At(row, budgetIndex, repeat)];

    /// <summary>Final test accuracy (fraction) of one repeat at one budget; NaN if missing.</summary>
    public double TestAccuracy(int row, int budgetIndex, int repeat) => _values[At(row, budgetIndex, repeat) + 1];

    /// <summary>Training time (seconds) of one repeat at one budget; NaN if missing.</summary>
    public double TrainingTime(int row, int budgetIndex, int repeat) => _values[At(row, budgetIndex, repeat) + 2];

    internal ReadOnlySpan<NasBench101Hash> Hashes => _hashes;

    internal ReadOnlySpan<uint> Codes => _codes;

    private int At(int row, int budgetIndex, int repeat)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(budgetIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(budgetIndex, _budgets.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(repeat, Repeats);
        return ((row * _budgets.Length + budgetIndex) * Repeats + repeat) * ValuesPerRun;
    }

    /// <summary>The imported table's usual place: <c>DATA/nasbench101/nb101_table.bin</c>.</summary>
    public static string DefaultPath(string dataFolder) => Path.Combine(dataFolder, FolderName, DefaultFileName);

    /// <summary>Writes the table to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Write(string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The table format is written on little-endian machines only.");
        AtomicFile.Write(path, stream =>
        {
            uint crc = 0;
            void Put(ReadOnlySpan<byte> bytes)
            {
                stream.Write(bytes);
                crc = Crc32C.Append(crc, bytes);
            }

            Span<byte> header = stackalloc byte[FixedHeader];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], Count);
            BinaryPrimitives.WriteInt32LittleEndian(header[16..], _budgets.Length);
            BinaryPrimitives.WriteInt32LittleEndian(header[20..], Repeats);
            Put(header);
            Put(MemoryMarshal.AsBytes(_budgets.AsSpan()));
            var digests = new byte[Count * NasBench101Hash.ByteLength];
            for (int row = 0; row < Count; row++) _hashes[row].WriteBytes(digests.AsSpan(row * NasBench101Hash.ByteLength));
            Put(digests);
            Put(MemoryMarshal.AsBytes(_codes.AsSpan()));
            Put(MemoryMarshal.AsBytes(_parameters.AsSpan()));
            Put(MemoryMarshal.AsBytes(_values.AsSpan()));
            Span<byte> trailer = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
            stream.Write(trailer);
        });
    }

    /// <summary>
    /// Reads a table written by <see cref="Write"/>, checking its magic, version, size, checksum and cells;
    /// any problem is an <see cref="InvalidInputException"/> naming the file.
    /// </summary>
    public static NasBench101Table Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The table format is read on little-endian machines only.");
        string name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new InvalidInputException($"NAS-Bench-101 table not found: {path}");
        InputFile.Check(path);
        byte[] bytes = File.ReadAllBytes(path);
        InvalidInputException Bad(string problem) => new($"{name}: {problem}");

        if (bytes.Length < FixedHeader + 4 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw Bad("not a NAS-Bench-101 table written by weaknas (wrong magic)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion) throw Bad($"table format version {version}; this weaknas reads version {FormatVersion} (import the data again)");
        int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        int budgetCount = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        int repeats = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20));
        if (rows < 0 || budgetCount is < 1 or > 64 || repeats is < 1 or > 64)
            throw Bad($"implausible header ({rows} rows, {budgetCount} budgets, {repeats} repeats): the file is damaged");
        long valueCount = (long)rows * budgetCount * repeats * ValuesPerRun;
        long expected = FixedHeader + 4L * budgetCount + (long)rows * (NasBench101Hash.ByteLength + 4 + 4) + 4 * valueCount + 4;
        if (bytes.Length != expected)
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"{bytes.Length} bytes where the header implies {expected}: the file is truncated or damaged"));
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        uint actual = Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4));
        if (stored != actual) throw Bad($"checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8}): the file is damaged");

        int at = FixedHeader;
        int[] budgets = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(at, 4 * budgetCount)).ToArray();
        at += 4 * budgetCount;
        var hashes = new NasBench101Hash[rows];
        for (int row = 0; row < rows; row++, at += NasBench101Hash.ByteLength)
            hashes[row] = NasBench101Hash.FromBytes(bytes.AsSpan(at, NasBench101Hash.ByteLength));
        uint[] codes = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan(at, 4 * rows)).ToArray();
        at += 4 * rows;
        int[] parameters = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(at, 4 * rows)).ToArray();
        at += 4 * rows;
        float[] values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(at, (int)(4 * valueCount))).ToArray();

        for (int row = 0; row < rows; row++)
            if (!NasBench101Cell.IsValidCode(codes[row], out string? problem))
                throw Bad($"row {row} (hash {hashes[row]}) holds no valid cell: {problem}");
        try
        {
            var table = new NasBench101Table(hashes, codes, parameters, budgets, repeats, values, path);
            table.CheckDistinct();
            return table;
        }
        catch (ArgumentException e)
        {
            throw Bad(e.Message);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> if two rows share a hash.</summary>
    internal void CheckDistinct()
    {
        var seen = new Dictionary<NasBench101Hash, int>(Count);
        for (int row = 0; row < Count; row++)
            if (!seen.TryAdd(_hashes[row], row))
                throw new ArgumentException($"rows {seen[_hashes[row]]} and {row} have the same hash {_hashes[row]}");
    }
}
