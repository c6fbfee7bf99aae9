using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using PyContainer.Daemonless;

namespace PyContainer.Tests.Daemonless;

/// <summary>What the daemonless builder learns from a base image's layers, on layers written here.</summary>
public sealed class BaseImageScannerTests
{
    private const string DebianPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    [Fact]
    public void A_Debian_image_has_its_python3_symlink_followed_and_glibc_from_dpkg()
    {
        var scanner = new BaseImageScanner();
        scanner.AddLayer(Layer(
            File("usr/bin/python3.11"),
            Link("usr/bin/python3", "python3.11"),
            Link("bin", "usr/bin"),
            File("lib64/ld-linux-x86-64.so.2"),
            File("var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\n\nPackage: python3.11-minimal\nVersion: 3.11.2-6+deb12u1\n")));

        Assert.Equal(new BaseImageFacts("/usr/bin/python3", "3.11", "3.11.2", "glibc", "2.36"), scanner.Facts(DebianPath, null));
    }

    [Fact]
    public void An_official_python_image_has_its_version_from_PYTHON_VERSION_and_its_interpreter_under_usr_local()
    {
        var scanner = new BaseImageScanner();
        scanner.AddLayer(Layer(File("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), File("usr/lib/x86_64-linux-gnu/libc-2.31.so")));
        scanner.AddLayer(Layer(File("usr/local/bin/python3.12"), Link("usr/local/bin/python3", "python3.12")));

        Assert.Equal(new BaseImageFacts("/usr/local/bin/python3", "3.12", "3.12.7", "glibc", "2.31"), scanner.Facts(DebianPath, "3.12.7"));
    }

    [Fact]
    public void An_Alpine_image_is_musl_with_the_version_from_apk()
    {
        var scanner = new BaseImageScanner();
        scanner.AddLayer(Layer(
            File("lib/ld-musl-x86_64.so.1"),
            File("lib/apk/db/installed", "C:Q1abc\nP:musl\nV:1.2.4-r2\n\nP:busybox\nV:1.36.1-r5\n"),
            File("usr/local/bin/python3.12"),
            Link("usr/local/bin/python3", "/usr/local/bin/python3.12")));

        Assert.Equal(new BaseImageFacts("/usr/local/bin/python3", "3.12", "3.12", "musl", "1.2"), scanner.Facts(DebianPath, null));
    }

    [Fact]
    public void A_whiteout_in_a_later_layer_removes_the_interpreter()
    {
        var scanner = new BaseImageScanner();
        scanner.AddLayer(Layer(File("usr/bin/python3.11"), Link("usr/bin/python3", "python3.11")));
        scanner.AddLayer(Layer(File("usr/bin/.wh.python3.11")));

        Assert.Null(scanner.Facts(DebianPath, null));
    }

    [Fact]
    public void An_opaque_folder_hides_what_lower_layers_had_in_it()
    {
        var scanner = new BaseImageScanner();
        scanner.AddLayer(Layer(File("usr/bin/python3.11"), Link("usr/bin/python3", "python3.11")));
        scanner.AddLayer(Layer(File("usr/bin/.wh..wh..opq"), File("usr/local/bin/python3.13"), Link("usr/local/bin/python3", "python3.13")));

        Assert.Equal("/usr/local/bin/python3", scanner.Facts(DebianPath, null)?.Interpreter);
        Assert.Equal("3.13", scanner.Facts(DebianPath, null)?.PythonVersion);
    }

    [Fact]
    public void No_python3_on_the_PATH_gives_no_facts()
    {
        var scanner = new BaseImageScanner();
        scanner.AddLayer(Layer(File("opt/python/bin/python3.11"), Link("opt/python/bin/python3", "python3.11")));

        Assert.Null(scanner.Facts(DebianPath, null));
        Assert.Equal("/opt/python/bin/python3", scanner.Facts("/opt/python/bin:" + DebianPath, null)?.Interpreter);
    }

    private static PaxTarEntry File(string path, string content = "")
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, path);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return entry;
    }

    private static PaxTarEntry Link(string path, string target) => new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target };

    private static MemoryStream Layer(params PaxTarEntry[] entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip))
        {
            foreach (PaxTarEntry entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        output.Position = 0;
        return output;
    }
}
