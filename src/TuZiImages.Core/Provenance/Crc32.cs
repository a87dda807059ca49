namespace TuZiImages.Core.Provenance;

/// <summary>The CRC-32 of PNG chunks (ISO 3309, as zlib computes it); netstandard2.0 has none.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();

    public static uint Update(uint crc, byte[] bytes, int offset, int count)
    {
        uint c = ~crc;
        for (int i = offset; i < offset + count; i++)
        {
            c = Table[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
        }
        return ~c;
    }

    private static uint[] Build()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
