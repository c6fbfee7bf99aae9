using System.IO.Compression;
using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Oci;

namespace PyContainer.Python.Wheels;

/// <summary>
/// Installs a wheel into a virtual environment of the image as pip would, with no Python: the binary distribution
/// format's install steps (RECORD check, purelib/platlib, the .data folders, '#!python' scripts) and the
/// "recording installed projects" spec (INSTALLER, a RECORD of what was installed). Files are streamed from the
/// zip when the layer is written; nothing is unpacked on disk and no bytecode is compiled.
/// </summary>
public static class WheelInstaller
{
    private const UnixFileMode Regular = (UnixFileMode)0b110_100_100;
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const string Installer = "pycontainer";

    /// <summary>
    /// Adds <paramref name="wheel"/>'s files to <paramref name="layer"/> under <paramref name="venv"/>; dispose the
    /// result (it closes the wheel) after the layer is written. PYC3017 when the wheel's files do not match its
    /// RECORD or another wheel already installed one of its paths.
    /// </summary>
    public static IDisposable Install(ResolvedWheel wheel, VirtualEnvironment venv, ILayerSink layer)
    {
        ArgumentNullException.ThrowIfNull(wheel);
        ArgumentNullException.ThrowIfNull(venv);
        ArgumentNullException.ThrowIfNull(layer);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(wheel.Path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw Errors.Create(Errors.WheelContentInvalid, e, wheel.FileName, $"it cannot be opened as a zip ({e.Message})");
        }

        try
        {
            Lay(new WheelContent(wheel, zip), venv, layer);
            return zip;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static void Lay(WheelContent content, VirtualEnvironment venv, ILayerSink layer)
    {
        var record = new List<RecordRow>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        void Add(string path, UnixFileMode mode, long length, Func<Stream>? open, byte[]? bytes, string hash)
        {
            if (layer.Contains(path))
            {
                throw content.Invalid($"it installs '{path}', which another wheel (or the virtual environment) already installed");
            }

            if (!added.Add(path))
            {
                throw content.Invalid($"it installs '{path}' twice");
            }

            if (bytes is not null)
            {
                layer.AddFile(path, mode, bytes);
            }
            else
            {
                layer.AddFile(path, mode, length, open!);
            }

            record.Add(new RecordRow(PosixPath.Relative(venv.SitePackages, path), hash, length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        foreach (WheelFile file in content.Files)
        {
            (string? target, bool script) = Destination(content, venv, file.Name);
            if (target is null)
            {
                continue;
            }

            ZipArchiveEntry entry = file.Entry;
            if (script && file.StartsWithPythonShebang)
            {
                byte[] rewritten = RewriteShebang(WheelContent.ReadAll(entry), venv.Python);
                Add(target, Executable, rewritten.Length, null, rewritten, WheelRecord.HashOf(rewritten));
            }
            else
            {
                bool executable = script || ((entry.ExternalAttributes >> 16) & 0b001_001_001) != 0;
                Add(target, executable ? Executable : Regular, entry.Length, entry.Open, null, file.Sha256Field);
            }
        }

        foreach (EntryPointScript script in content.EntryPoints())
        {
            byte[] launcher = EntryPointScripts.Launcher(script, venv.Python);
            Add($"{venv.Bin}/{script.Name}", Executable, launcher.Length, null, launcher, WheelRecord.HashOf(launcher));
        }

        string distInfo = $"{venv.SitePackages}/{content.DistInfo}";
        byte[] installer = Encoding.UTF8.GetBytes(Installer + "\n");
        Add($"{distInfo}/INSTALLER", Regular, installer.Length, null, installer, WheelRecord.HashOf(installer));

        string recordPath = $"{distInfo}/RECORD";
        record.Add(new RecordRow(PosixPath.Relative(venv.SitePackages, recordPath), "", ""));
        record.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        if (layer.Contains(recordPath))
        {
            throw content.Invalid($"its RECORD '{recordPath}' is already installed by another wheel");
        }

        layer.AddFile(recordPath, Regular, WheelRecord.Write(record));
    }

    /// <summary>Where a file of the wheel goes in the image (null: not installed), and whether it is a script.</summary>
    private static (string? Target, bool Script) Destination(WheelContent content, VirtualEnvironment venv, string name)
    {
        if (content.IsSignatureOrRecord(name))
        {
            return (null, false);
        }

        string dataPrefix = content.DataDirectory + "/";
        if (!name.StartsWith(dataPrefix, StringComparison.Ordinal))
        {
            return ($"{venv.SitePackages}/{name}", false);
        }

        string rest = name[dataPrefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string scheme = slash < 0 ? rest : rest[..slash];
        string path = slash < 0 ? "" : rest[(slash + 1)..];
        string root = venv.Root.Length > 1 ? venv.Root.TrimEnd('/') : "";
        return scheme switch
        {
            _ when path.Length == 0 => throw content.Invalid($"'{name}' is not inside a scheme folder of {content.DataDirectory}"),
            "purelib" or "platlib" => ($"{venv.SitePackages}/{path}", false),
            "scripts" => ($"{venv.Bin}/{path}", true),
            "data" => ($"{root}/{path}", false),
            // pip's headers scheme in a virtual environment.
            "headers" => ($"{root}/include/site/python{venv.PythonVersion}/{content.ProjectName}/{path}", false),
            _ => throw content.Invalid($"'{name}' is in the unknown scheme '{scheme}' (purelib, platlib, scripts, data, headers)"),
        };
    }

    /// <summary>'#!python' (and '#!pythonw') becomes '#!&lt;interpreter&gt;': the first line is replaced, the rest kept.</summary>
    private static byte[] RewriteShebang(byte[] script, string interpreter)
    {
        int newline = Array.IndexOf(script, (byte)'\n');
        byte[] shebang = Encoding.UTF8.GetBytes($"#!{interpreter}\n");
        byte[] rest = newline < 0 ? [] : script[(newline + 1)..];
        return [.. shebang, .. rest];
    }
}

/// <summary>Paths inside the image: always '/', whatever the build machine's separator.</summary>
internal static class PosixPath
{
    /// <summary>The path of <paramref name="path"/> relative to the folder <paramref name="from"/> ("../../../bin/flask").</summary>
    public static string Relative(string from, string path)
    {
        string[] a = from.Trim('/').Split('/'), b = path.Trim('/').Split('/');
        int common = 0;
        while (common < a.Length && common < b.Length - 1 && a[common] == b[common])
        {
            common++;
        }

        return string.Join('/', Enumerable.Repeat("..", a.Length - common).Concat(b.Skip(common)));
    }
}
