namespace WeakNas.Data;

/// <summary>One record of a TFRecord file.</summary>
/// <param name="Number">1-based position of the record in the file.</param>
/// <param name="Offset">Byte offset of the record's header in the file.</param>
/// <param name="Data">The record's payload; valid until the next read.</param>
public readonly record struct TfRecord(int Number, long Offset, ReadOnlyMemory<byte> Data);
