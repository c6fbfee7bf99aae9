using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using PyContainer.Diagnostics;

namespace PyContainer.Python.Wheels;

/// <summary>One file of a wheel, checked against RECORD: its sha256 RECORD field and whether it starts with '#!python'.</summary>
internal sealed record WheelFile(string Name, ZipArchiveEntry Entry, string Sha256Field, bool StartsWithPythonShebang);

/// <summary>
/// A wheel opened for installing: its .dist-info and .data folders, its WHEEL metadata, and every file verified
/// against RECORD (hash and size; a file RECORD does not list is refused, as pypa/installer does).
/// </summary>
internal sealed class WheelContent
{
    private readonly ResolvedWheel _wheel;
    private readonly ZipArchive _zip;

    public WheelContent(ResolvedWheel wheel, ZipArchive zip)
    {
        _wheel = wheel;
        _zip = zip;
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
        foreach (ZipArchiveEntry entry in entries)
        {
            string name = entry.FullName;
            if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Split('/').Any(p => p is ".." or "." or ""))
            {
                throw Invalid($"its file name '{name}' is not a plain relative path");
            }
        }

        string normalized = WheelFileName.Normalize(wheel.Name);
        var distInfos = entries.Select(e => e.FullName.Split('/')[0]).Distinct(StringComparer.Ordinal)
            .Where(d => d.EndsWith(".dist-info", StringComparison.Ordinal) && WheelFileName.Normalize(d.Split('-')[0]) == normalized)
            .ToList();
        if (distInfos.Count != 1)
        {
            throw Invalid(distInfos.Count == 0 ? $"it has no {wheel.Name}-<version>.dist-info folder" : $"it has several .dist-info folders ({string.Join(", ", distInfos)})");
        }

        DistInfo = distInfos[0];
        DataDirectory = DistInfo[..^".dist-info".Length] + ".data";
        ProjectName = DistInfo.Split('-')[0];
        Dictionary<string, string> metadata = ReadWheelMetadata();
        RootIsPurelib = string.Equals(metadata.GetValueOrDefault("Root-Is-Purelib"), "true", StringComparison.OrdinalIgnoreCase);
        Files = Verify(entries);
    }

    /// <summary>"flask-2.2.2.dist-info".</summary>
    public string DistInfo { get; }

    /// <summary>"flask-2.2.2.data".</summary>
    public string DataDirectory { get; }

    /// <summary>The project name as the wheel's folders spell it.</summary>
    public string ProjectName { get; }

    public bool RootIsPurelib { get; }

    /// <summary>The wheel's files, in the zip's order (RECORD and its signatures included; the installer skips them).</summary>
    public IReadOnlyList<WheelFile> Files { get; }

    public bool IsSignatureOrRecord(string name) =>
        name == $"{DistInfo}/RECORD" || name == $"{DistInfo}/RECORD.jws" || name == $"{DistInfo}/RECORD.p7s";

    public List<EntryPointScript> EntryPoints() =>
        _zip.GetEntry($"{DistInfo}/entry_points.txt") is { } entry
            ? EntryPointScripts.Parse(Encoding.UTF8.GetString(ReadAll(entry)), Invalid)
            : [];

    public PyContainerException Invalid(string why) => Errors.Create(Errors.WheelContentInvalid, _wheel.FileName, why);

    public static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private Dictionary<string, string> ReadWheelMetadata()
    {
        ZipArchiveEntry entry = _zip.GetEntry($"{DistInfo}/WHEEL") ?? throw Invalid($"it has no {DistInfo}/WHEEL file");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in Encoding.UTF8.GetString(ReadAll(entry)).Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        string version = fields.GetValueOrDefault("Wheel-Version") ?? "";
        if (!version.StartsWith("1.", StringComparison.Ordinal) && version != "1")
        {
            throw Invalid($"its Wheel-Version is '{version}', a format this installer (1.x) does not know");
        }

        return fields;
    }

    private List<WheelFile> Verify(List<ZipArchiveEntry> entries)
    {
        ZipArchiveEntry recordEntry = _zip.GetEntry($"{DistInfo}/RECORD") ?? throw Invalid($"it has no {DistInfo}/RECORD file");
        var record = new Dictionary<string, RecordRow>(StringComparer.Ordinal);
        foreach (RecordRow row in WheelRecord.Parse(Encoding.UTF8.GetString(ReadAll(recordEntry))))
        {
            record[row.Path] = row;
        }

        var files = new List<WheelFile>();
        foreach (ZipArchiveEntry entry in entries)
        {
            if (IsSignatureOrRecord(entry.FullName))
            {
                files.Add(new WheelFile(entry.FullName, entry, "", false));
                continue;
            }

            if (!record.TryGetValue(entry.FullName, out RecordRow? row) || row.Hash.Length == 0)
            {
                throw Invalid($"'{entry.FullName}' {(row is null ? "is not listed in" : "has no hash in")} its RECORD");
            }

            (string sha256Field, string recordedField, long size, bool shebang) = Hash(entry, row.Hash);
            if (!string.Equals(recordedField, row.Hash, StringComparison.Ordinal))
            {
                throw Invalid($"the hash of '{entry.FullName}' differs from its RECORD ({row.Hash})");
            }

            if (row.Size.Length > 0 && row.Size != size.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw Invalid($"'{entry.FullName}' is {size} bytes, its RECORD says {row.Size}");
            }

            files.Add(new WheelFile(entry.FullName, entry, sha256Field, shebang));
        }

        return files;
    }

    /// <summary>The sha256 RECORD field of the entry, its hash in RECORD's algorithm, its size and whether it starts with '#!python'.</summary>
    private (string Sha256, string Recorded, long Size, bool Shebang) Hash(ZipArchiveEntry entry, string recorded)
    {
        string algorithm = recorded.Split('=')[0];
        HashAlgorithmName? other = algorithm switch
        {
            "sha256" => null,
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            _ => throw Invalid($"'{entry.FullName}' has a '{algorithm}' hash in RECORD, which is not a secure hash (use sha256)"),
        };
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using IncrementalHash? second = other is { } name ? IncrementalHash.CreateHash(name) : null;
        byte[] buffer = new byte[81920];
        byte[] head = new byte[8];
        long size = 0;
        using (Stream stream = entry.Open())
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (size < head.Length)
                {
                    Array.Copy(buffer, 0, head, (int)size, (int)Math.Min(read, head.Length - size));
                }

                sha256.AppendData(buffer, 0, read);
                second?.AppendData(buffer, 0, read);
                size += read;
            }
        }

        string sha256Field = WheelRecord.HashField(sha256.GetHashAndReset());
        string recordedField = second is null ? sha256Field : $"{algorithm}={Encode(second.GetHashAndReset())}";
        return (sha256Field, recordedField, size, size >= 8 && Encoding.ASCII.GetString(head) == "#!python");
    }

    private static string Encode(byte[] digest) => WheelRecord.HashField(digest)[7..];
}
