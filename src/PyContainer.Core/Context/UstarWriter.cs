using System.Text;

namespace PyContainer.Context;

/// <summary>
/// The tar writer of the build context. It writes regular files only, every one owned by root (uid/gid 0, no user or group names),
/// with a fixed modification time and the given mode, so equal inputs give equal bytes on every runtime:
/// <list type="bullet">
/// <item>a plain ustar header when the path fits (up to 100 bytes, or split at a '/' into a prefix of up
/// to 155 bytes and a name of up to 100), because the engine sniffs only the first 512 bytes to tell a tar
/// context from a bare Dockerfile, and a PAX header would not parse within them;</item>
/// <item>otherwise a GNU long name: a <c>././@LongLink</c> ('L') entry holding the whole path, then the
/// file's GNU header with the path cut at 100 bytes (never inside a character) and fixed times.</item>
/// </list>
/// The bytes are those System.Formats.Tar writes for the same entries (so context digests, and with them
/// incremental build states, carry over), but System.Formats.Tar refuses a path that fits ustar only when split
/// before its last fitting '/' (many short folders): it would need a GNU long name there, and other bytes.
/// </summary>
internal sealed class UstarWriter(Stream output)
{
    private const int BlockSize = 512;
    private const int NameLength = 100;
    private const int PrefixLength = 155;

    /// <summary>2000-01-01T00:00:00Z in seconds since the Unix epoch.</summary>
    private const long FixedTime = 946_684_800;

    /// <summary>The largest size an 11-digit octal size field holds (8 GiB - 1).</summary>
    private const long MaxSize = 0x1_FFFF_FFFF;

    private const string LongLinkName = "././@LongLink";

    // Field offsets and lengths of the ustar header (POSIX.1-1988) and GNU's access and change times.
    private const int ModeOffset = 100;
    private const int UidOffset = 108;
    private const int GidOffset = 116;
    private const int SizeOffset = 124;
    private const int ModificationTimeOffset = 136;
    private const int ChecksumOffset = 148;
    private const int TypeFlagOffset = 156;
    private const int MagicOffset = 257;
    private const int UserNameOffset = 265;
    private const int GroupNameOffset = 297;
    private const int PrefixOffset = 345;
    private const int AccessTimeOffset = 345;
    private const int ChangeTimeOffset = 357;

    private static readonly byte[] UstarMagic = Encoding.ASCII.GetBytes("ustar\0" + "00");
    private static readonly byte[] GnuMagic = Encoding.ASCII.GetBytes("ustar  \0");
    private static readonly byte[] Root = Encoding.ASCII.GetBytes("root");

    /// <summary>Padding and the end-of-archive marker: never written to.</summary>
    private static readonly byte[] Zeros = new byte[2 * BlockSize];

    /// <summary>One copy buffer per archive rather than one per file.</summary>
    private readonly byte[] _buffer = new byte[81920];

    /// <summary>Whether <paramref name="path"/> gets a plain ustar header (else a GNU long name).</summary>
    public static bool FitsUstar(string path) => SplitUstar(Encoding.UTF8.GetBytes(path)) is not null;

    /// <summary>Writes one regular file: its header, then <paramref name="content"/> from its current position to its end.</summary>
    /// <param name="mode">The permission bits, e.g. 0644 (octal) as 420.</param>
    public void WriteFile(string path, int mode, Stream content)
    {
        long size = content.Length - content.Position;
        if (size > MaxSize)
        {
            throw new InvalidDataException($"'{path}' is larger than the 8 GiB a tar header can state.");
        }

        byte[] pathBytes = Encoding.UTF8.GetBytes(path);
        var header = new byte[BlockSize];
        if (SplitUstar(pathBytes) is { } split)
        {
            Array.Copy(pathBytes, split.NameStart, header, 0, pathBytes.Length - split.NameStart);
            Array.Copy(pathBytes, 0, header, PrefixOffset, split.PrefixLength);
            WriteCommonFields(header, mode, size, FixedTime, '0');
            UstarMagic.CopyTo(header, MagicOffset);
        }
        else
        {
            WriteLongName(pathBytes);
            byte[] truncated = Encoding.UTF8.GetBytes(path.Substring(0, TruncatedLength(path, NameLength)));
            truncated.CopyTo(header, 0);
            WriteCommonFields(header, mode, size, FixedTime, '0');
            GnuMagic.CopyTo(header, MagicOffset);
            WriteOctal(header, AccessTimeOffset, 12, FixedTime);
            WriteOctal(header, ChangeTimeOffset, 12, FixedTime);
        }

        WriteHeader(header);
        CopyExactly(path, content, size);
        WritePadding(size);
    }

    /// <summary>The end-of-archive marker: two empty blocks.</summary>
    public void Finish() => output.Write(Zeros, 0, 2 * BlockSize);

    /// <summary>
    /// The '/' to split at when the path is longer than the name field: the rightmost one that leaves a prefix
    /// of at most 155 bytes and a name of at most 100 (System.Formats.Tar's choice wherever it had one).
    /// Null when the path cannot be written as ustar.
    /// </summary>
    private static (int PrefixLength, int NameStart)? SplitUstar(byte[] path)
    {
        if (path.Length <= NameLength)
        {
            return (0, 0);
        }

        for (int slash = Math.Min(path.Length - 1, PrefixLength); slash >= 1; slash--)
        {
            if (path[slash] == (byte)'/')
            {
                return path.Length - slash - 1 <= NameLength ? (slash, slash + 1) : null;
            }
        }

        return null;
    }

    /// <summary>GNU's long name entry: the whole path (NUL-terminated) as the data of a '././@LongLink' entry.</summary>
    private void WriteLongName(byte[] pathBytes)
    {
        var header = new byte[BlockSize];
        Encoding.ASCII.GetBytes(LongLinkName).CopyTo(header, 0);
        long size = pathBytes.Length + 1;
        WriteCommonFields(header, 420 /* 0644 */, size, 0, 'L');
        GnuMagic.CopyTo(header, MagicOffset);
        Root.CopyTo(header, UserNameOffset);
        Root.CopyTo(header, GroupNameOffset);
        WriteHeader(header);
        output.Write(pathBytes, 0, pathBytes.Length);
        output.WriteByte(0);
        WritePadding(size);
    }

    private static void WriteCommonFields(byte[] header, int mode, long size, long modificationTime, char typeFlag)
    {
        WriteOctal(header, ModeOffset, 8, mode);
        WriteOctal(header, UidOffset, 8, 0);
        WriteOctal(header, GidOffset, 8, 0);
        WriteOctal(header, SizeOffset, 12, size);
        WriteOctal(header, ModificationTimeOffset, 12, modificationTime);
        header[TypeFlagOffset] = (byte)typeFlag;
    }

    /// <summary>The checksum is the byte sum of the header with its own field read as spaces: six octal digits, NUL, space.</summary>
    private void WriteHeader(byte[] header)
    {
        for (int i = 0; i < 8; i++)
        {
            header[ChecksumOffset + i] = (byte)' ';
        }

        int checksum = header.Sum(b => b);
        WriteOctal(header, ChecksumOffset, 7, checksum);
        header[ChecksumOffset + 7] = (byte)' ';
        output.Write(header, 0, BlockSize);
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which is NUL.</summary>
    private static void WriteOctal(byte[] header, int offset, int length, long value)
    {
        string digits = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(digits, 0, digits.Length, header, offset);
        header[offset + length - 1] = 0;
    }

    private void CopyExactly(string path, Stream content, long size)
    {
        long remaining = size;
        while (remaining > 0)
        {
            int read = content.Read(_buffer, 0, (int)Math.Min(_buffer.Length, remaining));
            if (read == 0)
            {
                throw new IOException($"'{path}' got shorter while it was being read.");
            }

            output.Write(_buffer, 0, read);
            remaining -= read;
        }
    }

    private void WritePadding(long size)
    {
        int padding = (int)((BlockSize - (size % BlockSize)) % BlockSize);
        output.Write(Zeros, 0, padding);
    }

    /// <summary>How many UTF-16 chars of <paramref name="text"/> fit in <paramref name="maxBytes"/> UTF-8 bytes without cutting a character.</summary>
    private static int TruncatedLength(string text, int maxBytes)
    {
        int bytes = 0;
        int chars = 0;
        while (chars < text.Length)
        {
            int width = char.IsHighSurrogate(text[chars]) && chars + 1 < text.Length && char.IsLowSurrogate(text[chars + 1]) ? 2 : 1;
            bytes += Encoding.UTF8.GetByteCount(text.ToCharArray(chars, width));
            if (bytes > maxBytes)
            {
                break;
            }

            chars += width;
        }

        return chars;
    }
}
