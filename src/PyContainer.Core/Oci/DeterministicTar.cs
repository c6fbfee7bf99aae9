using System.Buffers;
using System.Globalization;
using System.Text;

namespace PyContainer.Oci;

/// <summary>
/// Writes a POSIX ustar stream whose bytes depend only on the entries: no user or group names, no access or change
/// times, device fields zero, and a PAX extended header only for what ustar cannot hold (a long or non-ASCII name or
/// link target, a size of 8 GiB or more, a large id). Written here rather than with System.Formats.Tar so the bytes
/// do not change with the .NET runtime that happens to run the build.
/// </summary>
internal sealed class DeterministicTar
{
    private const int BlockSize = 512;
    private const long MaxOctal11 = 0x1_FFFF_FFFF; // 8^11 - 1
    private const int MaxOctal7 = 0x1F_FFFF; // 8^7 - 1
    private static readonly byte[] Zeros = new byte[BlockSize * 2];

    private readonly Stream _output;
    private readonly long _mtime;

    public DeterministicTar(Stream output, DateTimeOffset timestamp)
    {
        _output = output;
        _mtime = Seconds(timestamp);
    }

    /// <summary>Seconds since the epoch that a ustar header holds (1970 to 2242, no fractions).</summary>
    public static long Seconds(DateTimeOffset timestamp)
    {
        long seconds = timestamp.ToUnixTimeSeconds();
        if (seconds < 0 || seconds > MaxOctal11)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A layer timestamp must lie between 1970 and 2242.");
        }

        return seconds;
    }

    public Task WriteDirectoryAsync(string name, UnixFileMode mode, int uid, int gid, CancellationToken cancellationToken) =>
        WriteHeaderAsync(name.EndsWith('/') ? name : name + "/", (byte)'5', mode, uid, gid, 0, "", cancellationToken);

    public Task WriteSymlinkAsync(string name, string target, CancellationToken cancellationToken) =>
        WriteHeaderAsync(name, (byte)'2', (UnixFileMode)0x1FF, 0, 0, 0, target, cancellationToken);

    /// <summary>Writes a regular file of exactly <paramref name="length"/> bytes read from <paramref name="content"/>.</summary>
    public async Task WriteFileAsync(string name, UnixFileMode mode, int uid, int gid, long length, Stream content, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(name, (byte)'0', mode, uid, gid, length, "", cancellationToken);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long left = length;
            while (left > 0)
            {
                int read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                if (read == 0)
                {
                    throw new IOException($"'{name}' ended after {length - left} of the {length} bytes it had when it was added to the layer.");
                }

                await _output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                left -= read;
            }

            if (await content.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) != 0)
            {
                throw new IOException($"'{name}' has more than the {length} bytes it had when it was added to the layer.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await PadAsync(length, cancellationToken);
    }

    /// <summary>The two zero blocks that end an archive.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken) => await _output.WriteAsync(Zeros, cancellationToken);

    private async Task WriteHeaderAsync(string name, byte type, UnixFileMode mode, int uid, int gid, long size, string link, CancellationToken cancellationToken)
    {
        var pax = new SortedDictionary<string, string>(StringComparer.Ordinal);
        (string prefix, string shortName) = SplitName(name, pax);
        if (!FitsUstar(link, 100))
        {
            pax["linkpath"] = link;
            link = "";
        }

        if (size > MaxOctal11)
        {
            pax["size"] = size.ToString(CultureInfo.InvariantCulture);
        }

        if (uid < 0 || gid < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(uid), "Owner ids cannot be negative.");
        }

        if (uid > MaxOctal7)
        {
            pax["uid"] = uid.ToString(CultureInfo.InvariantCulture);
        }

        if (gid > MaxOctal7)
        {
            pax["gid"] = gid.ToString(CultureInfo.InvariantCulture);
        }

        if (pax.Count > 0)
        {
            byte[] records = PaxRecords(pax);
            string paxName = "PaxHeaders/" + (shortName.Length > 0 && FitsUstar(shortName, 89) ? shortName : "entry");
            await _output.WriteAsync(Header(paxName, "", (byte)'x', (UnixFileMode)0x1A4, 0, 0, records.Length, ""), cancellationToken);
            await _output.WriteAsync(records, cancellationToken);
            await PadAsync(records.Length, cancellationToken);
        }

        await _output.WriteAsync(Header(shortName, prefix, type, mode, Math.Min(uid, MaxOctal7), Math.Min(gid, MaxOctal7), Math.Min(size, MaxOctal11), link), cancellationToken);
    }

    private async Task PadAsync(long length, CancellationToken cancellationToken)
    {
        int pad = (int)((BlockSize - (length % BlockSize)) % BlockSize);
        if (pad > 0)
        {
            await _output.WriteAsync(Zeros.AsMemory(0, pad), cancellationToken);
        }
    }

    /// <summary>ustar's name and prefix fields, or (with a PAX "path") a truncated stand-in when they cannot hold it.</summary>
    private static (string Prefix, string Name) SplitName(string name, SortedDictionary<string, string> pax)
    {
        if (FitsUstar(name, 100))
        {
            return ("", name);
        }

        if (IsAscii(name))
        {
            // Split at a '/' so the prefix holds at most 155 bytes and the rest at most 100 (a folder's trailing '/' stays in the name).
            for (int slash = name.LastIndexOf('/', name.Length - 2); slash > 0; slash = name.LastIndexOf('/', slash - 1))
            {
                if (slash <= 155 && name.Length - slash - 1 <= 100 && name.Length - slash - 1 > 0)
                {
                    return (name[..slash], name[(slash + 1)..]);
                }
            }
        }

        pax["path"] = name;
        string stub = new(name.Where(c => c < 128).ToArray());
        return ("", stub.Length > 100 ? stub[..100] : stub);
    }

    private static bool FitsUstar(string value, int limit) => value.Length <= limit && IsAscii(value);

    private static bool IsAscii(string value) => value.All(c => c is > '\0' and < (char)128);

    /// <summary>PAX records "LEN key=value\n", where LEN counts the whole record including its own digits.</summary>
    private static byte[] PaxRecords(IEnumerable<KeyValuePair<string, string>> records)
    {
        var all = new List<byte>();
        foreach ((string key, string value) in records)
        {
            int body = Encoding.UTF8.GetByteCount($" {key}={value}\n");
            int length = body + 1;
            while (length.ToString(CultureInfo.InvariantCulture).Length + body != length)
            {
                length++;
            }

            all.AddRange(Encoding.UTF8.GetBytes($"{length} {key}={value}\n"));
        }

        return [.. all];
    }

    private byte[] Header(string name, string prefix, byte type, UnixFileMode mode, int uid, int gid, long size, string link)
    {
        var header = new byte[BlockSize];
        Ascii(header, 0, 100, name);
        Octal(header, 100, 8, (long)mode & 0xFFF);
        Octal(header, 108, 8, uid);
        Octal(header, 116, 8, gid);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, _mtime);
        header.AsSpan(148, 8).Fill((byte)' ');
        header[156] = type;
        Ascii(header, 157, 100, link);
        Ascii(header, 257, 6, "ustar");
        Ascii(header, 263, 2, "00");
        Octal(header, 329, 8, 0);
        Octal(header, 337, 8, 0);
        Ascii(header, 345, 155, prefix);
        int checksum = header.Sum(b => (int)b);
        Octal(header, 148, 7, checksum);
        return header;
    }

    private static void Ascii(byte[] header, int offset, int length, string value)
    {
        if (Encoding.ASCII.GetBytes(value, header.AsSpan(offset, length)) != value.Length)
        {
            throw new InvalidOperationException($"'{value}' does not fit a {length}-byte tar field.");
        }
    }

    /// <summary>Zero-padded octal digits followed by a NUL, filling the field.</summary>
    private static void Octal(byte[] header, int offset, int length, long value)
    {
        string digits = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Ascii(header, offset, length - 1, digits);
        header[offset + length - 1] = 0;
    }
}
