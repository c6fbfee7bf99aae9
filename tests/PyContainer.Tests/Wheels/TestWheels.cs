using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using PyContainer.Python.Wheels;

namespace PyContainer.Tests.Wheels;

/// <summary>Writes small wheels for the installer tests: the given files plus a WHEEL and a RECORD of their real hashes.</summary>
internal static class TestWheels
{
    public static ResolvedWheel Create(string folder, string name, string version, IReadOnlyDictionary<string, string> files,
        bool pure = true, Func<string, string, string>? recordHash = null, IReadOnlyCollection<string>? executable = null)
    {
        string distInfo = $"{name}-{version}.dist-info";
        string fileName = $"{name}-{version}-{(pure ? "py3-none-any" : "cp311-cp311-linux_x86_64")}.whl";
        string path = Path.Combine(folder, fileName);
        var all = new Dictionary<string, string>(files)
        {
            [$"{distInfo}/METADATA"] = $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            [$"{distInfo}/WHEEL"] = $"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: {(pure ? "true" : "false")}\nTag: py3-none-any\n",
        };
        var record = new StringBuilder();
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach ((string entryName, string content) in all)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(content);
                ZipArchiveEntry entry = zip.CreateEntry(entryName);
                if (executable?.Contains(entryName) == true)
                {
                    entry.ExternalAttributes = 0b111_101_101 << 16;
                }

                using (Stream stream = entry.Open())
                {
                    stream.Write(bytes);
                }

                string hash = "sha256=" + Convert.ToBase64String(SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                hash = recordHash?.Invoke(entryName, hash) ?? hash;
                if (hash.Length > 0)
                {
                    record.Append(entryName).Append(',').Append(hash).Append(',').Append(bytes.Length).Append('\n');
                }
            }

            record.Append(distInfo).Append("/RECORD,,\n");
            using Stream recordStream = zip.CreateEntry($"{distInfo}/RECORD").Open();
            recordStream.Write(Encoding.UTF8.GetBytes(record.ToString()));
        }

        return new ResolvedWheel(name, version, fileName, path, pure);
    }
}
