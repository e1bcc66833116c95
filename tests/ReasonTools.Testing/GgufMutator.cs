using System.Buffers.Binary;

namespace ReasonTools.Testing;

/// <summary>
/// Deterministic mutations of GGUF files for fuzzing: bit flips, random bytes, 32/64-bit fields overwritten with
/// boundary values (0, 1, max, 2^31, 2^63, ...), truncation, duplicated and removed ranges.
/// </summary>
public sealed class GgufMutator(int seed)
{
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 31, 32, 33, 63, 64, 255, 256, 4096, 65535, 65536,
        int.MaxValue, 1UL << 31, uint.MaxValue, 1UL << 32, (1UL << 61) + 1, long.MaxValue, 1UL << 63, ulong.MaxValue, ulong.MaxValue - 31,
    ];

    private readonly Random _random = new(seed);

    /// <summary>Most bytes reading a file of <paramref name="length"/> bytes may allocate: proportional to the file.</summary>
    public static long AllocationBound(long length) => 32 * length + 64 * 1024;

    /// <summary>A mutated copy of <paramref name="original"/>, with one to four mutations applied.</summary>
    public byte[] Mutate(byte[] original)
    {
        var bytes = (byte[])original.Clone();
        var count = 1 + _random.Next(4);
        for (var i = 0; i < count && bytes.Length > 8; i++) bytes = MutateOnce(bytes);
        return bytes;
    }

    private byte[] MutateOnce(byte[] b)
    {
        // Most structure sits in the header: aim there more often than at weight bytes.
        var headerBias = _random.Next(4) != 0;
        var limit = headerBias ? Math.Min(b.Length, 4096) : b.Length;
        var at = _random.Next(limit);
        switch (_random.Next(8))
        {
            case 0:
                b[at] ^= (byte)(1 << _random.Next(8));
                return b;
            case 1:
                b[at] = (byte)_random.Next(256);
                return b;
            case 2 when at + 8 <= b.Length:
                BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), Interesting[_random.Next(Interesting.Length)]);
                return b;
            case 3 when at + 4 <= b.Length:
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), (uint)Interesting[_random.Next(Interesting.Length)]);
                return b;
            case 4:
                return b[..at];
            case 5:
            {
                var len = Math.Min(_random.Next(1, 64), b.Length - at);
                return [.. b[..at], .. b.AsSpan(at, len), .. b[at..]];
            }
            case 6:
            {
                var len = Math.Min(_random.Next(1, 64), b.Length - at);
                return [.. b[..at], .. b[(at + len)..]];
            }
            default:
            {
                // Overwrite a length-like field at an 8-byte-aligned position near a string.
                var aligned = at & ~7;
                if (aligned + 8 <= b.Length) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(aligned), (ulong)_random.NextInt64());
                return b;
            }
        }
    }
}
