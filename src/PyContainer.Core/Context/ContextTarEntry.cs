using System.Formats.Tar;
using System.Text;

namespace PyContainer.Context;

/// <summary>
/// The build context's tar entries for System.Formats.Tar: regular files only, owned by root (uid/gid 0, no user or
/// group names), the given mode and a fixed time, so equal inputs give equal bytes on every run:
/// <list type="bullet">
/// <item>a plain ustar entry when System.Formats.Tar can write the path as ustar, because the engine sniffs only the
/// first 512 bytes to tell a tar context from a bare Dockerfile, and a PAX header would not parse within them;</item>
/// <item>otherwise a GNU long name (a <c>././@LongLink</c> entry holding the whole path before the file's own header).</item>
/// </list>
/// The bytes are those of the running runtime's System.Formats.Tar: .NET 10's equal the former hand-written writer's
/// (a test pins them); older ones write some zero fields differently (an empty file's size as NULs before .NET 9,
/// dotnet/runtime#95354), so a context digest can change with the SDK, which costs one rebuild, never a wrong image.
/// </summary>
internal static class ContextTarEntry
{
    /// <summary>2000-01-01T00:00:00Z: real times would make equal inputs differ.</summary>
    public static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int NameLength = 100;
    private const int PrefixLength = 155;

    /// <summary>An entry for <paramref name="path"/> whose data is <paramref name="content"/> from its current position to its end.</summary>
    public static TarEntry Create(string path, UnixFileMode mode, Stream content)
    {
        PosixTarEntry entry = FitsUstar(path)
            ? new UstarTarEntry(TarEntryType.RegularFile, path)
            : new GnuTarEntry(TarEntryType.RegularFile, path) { AccessTime = FixedTime, ChangeTime = FixedTime };
        entry.Mode = mode;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = string.Empty;
        entry.GroupName = string.Empty;
        entry.ModificationTime = FixedTime;
        entry.DataStream = content;
        return entry;
    }

    /// <summary>
    /// Whether System.Formats.Tar writes <paramref name="path"/> as ustar rather than refusing it (so no exception has to
    /// be caught): up to 100 bytes, or split into a prefix of up to 155 bytes and a name of up to 100. It tries the
    /// last '/' first and moves left only while the prefix is longer than the name by more than 155, so a path of many
    /// short folders that would fit only when split further left is refused (a test checks this rule against it).
    /// Context paths separate folders with '/' only.
    /// </summary>
    internal static bool FitsUstar(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length <= NameLength)
        {
            return true;
        }

        int split = Array.LastIndexOf(bytes, (byte)'/');
        if (bytes.Length > PrefixLength + 1 + NameLength || split < 1)
        {
            return false;
        }

        while (split - NameBytesAfter(bytes, split) > PrefixLength)
        {
            int next = Array.LastIndexOf(bytes, (byte)'/', split - 1);
            if (next < 1)
            {
                break;
            }

            split = next;
        }

        return split <= PrefixLength && NameBytesAfter(bytes, split) <= NameLength;
    }

    private static int NameBytesAfter(byte[] path, int split) => path.Length - split - 1;
}
