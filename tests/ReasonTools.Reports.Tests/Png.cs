using System.Buffers.Binary;
using System.IO.Compression;

namespace ReasonTools.Reports.Tests;

/// <summary>
/// Just enough of a PNG decoder to look at a browser's screenshot: 8-bit RGB or RGBA, not interlaced
/// (what Chromium writes).
/// </summary>
internal sealed class Png
{
    private Png(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Three bytes per pixel, row after row.</summary>
    public byte[] Rgb { get; }

    public int Count(Func<byte, byte, byte, bool> predicate)
    {
        var count = 0;
        for (var i = 0; i < Rgb.Length; i += 3)
            if (predicate(Rgb[i], Rgb[i + 1], Rgb[i + 2])) count++;
        return count;
    }

    public int DistinctColours() =>
        Enumerable.Range(0, Rgb.Length / 3).Select(i => (Rgb[3 * i] << 16) | (Rgb[3 * i + 1] << 8) | Rgb[3 * i + 2]).Distinct().Count();

    public static Png Read(byte[] file)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!file.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("not a PNG file");

        int width = 0, height = 0, colourType = 0;
        using var idat = new MemoryStream();
        for (var pos = 8; pos + 8 <= file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                colourType = data[9];
                if (data[8] != 8 || data[12] != 0 || colourType is not (2 or 6))
                    throw new NotSupportedException($"PNG with bit depth {data[8]}, colour type {colourType}, interlace {data[12]}");
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            pos += 12 + length;
        }

        var channels = colourType == 6 ? 4 : 3;
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.ReadExactly(raw);
        }

        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                var value = raw[y * (stride + 1) + 1 + x];
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                pixels[y * stride + x] = (byte)(value + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
        }

        var rgb = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            rgb[3 * i] = pixels[channels * i];
            rgb[3 * i + 1] = pixels[channels * i + 1];
            rgb[3 * i + 2] = pixels[channels * i + 2];
        }
        return new Png(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
