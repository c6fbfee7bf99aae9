using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using PyContainer.Sbom;

namespace PyContainer.Tests.Sbom;

/// <summary>What an image's own layers installed, on layers (gzip and plain tars) written here.</summary>
public sealed class InventoryScannerTests
{
    private const string SitePackages = "opt/venv/lib/python3.11/site-packages/";

    private const string DpkgStatus = """
        Package: curl
        Status: install ok installed
        Architecture: amd64
        Version: 7.88.1-10+deb12u5
        Description: a tool
         with a continued description

        Package: libc6
        Status: install ok installed
        Architecture: amd64
        Version: 2.36-9+deb12u4

        Package: removed-one
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 1.0

        """;

    [Fact]
    public void Python_distributions_come_from_dist_info_METADATA_sorted_with_their_licenses_and_wheel_hashes()
    {
        var scanner = new InventoryScanner();
        scanner.AddLayer(Layer(gzip: true,
            File(SitePackages + "flask-2.2.2.dist-info/METADATA", "Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\nLicense: BSD-3-Clause\n\nThe description: License: MIT\n"),
            File(SitePackages + "Werkzeug-2.2.2.dist-info/METADATA", "Metadata-Version: 2.4\nName: Werkzeug\nVersion: 2.2.2\nLicense-Expression: bsd-3-clause OR mit\nLicense: whatever\n"),
            File(SitePackages + "odd-1.0.dist-info/METADATA", "Name: odd\nVersion: 1.0\nLicense: Copyright (c) somebody\n        all rights reserved\n"),
            File(SitePackages + "classified-1.0.dist-info/METADATA", "Name: classified\nVersion: 1.0\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n"),
            File(SitePackages + "flask/app.py", "print('no metadata')")));

        IReadOnlyList<PythonDistribution> found = scanner.PythonDistributions(new Dictionary<string, string> { [InventoryScanner.WheelKey("flask", "2.2.2")] = "abc123" });

        Assert.Equal(["Flask", "Werkzeug", "classified", "odd"], found.Select(d => d.Name));
        Assert.Equal(new PythonDistribution("Flask", "2.2.2", "BSD-3-Clause", "abc123"), found[0]);
        Assert.Equal("BSD-3-Clause OR MIT", found[1].License);
        Assert.Equal("MIT", found[2].License);
        Assert.Null(found[3].License);
        Assert.Equal("Copyright (c) somebody\nall rights reserved", found[3].LicenseText);
    }

    [Fact]
    public void A_whiteout_in_a_later_layer_removes_a_distribution_and_an_opaque_folder_empties_it()
    {
        var scanner = new InventoryScanner();
        scanner.AddLayer(Layer(gzip: false,
            File(SitePackages + "six-1.16.0.dist-info/METADATA", "Name: six\nVersion: 1.16.0\n"),
            File(SitePackages + "old-1.0.dist-info/METADATA", "Name: old\nVersion: 1.0\n"),
            File("srv/lib/kept-1.0.dist-info/METADATA", "Name: kept\nVersion: 1.0\n"),
            File("srv/other/gone-1.0.dist-info/METADATA", "Name: gone\nVersion: 1.0\n")));
        scanner.AddLayer(Layer(gzip: true,
            File(SitePackages + ".wh.six-1.16.0.dist-info"),
            File("srv/other/.wh..wh..opq"),
            File("srv/other/new-2.0.dist-info/METADATA", "Name: new\nVersion: 2.0\n")));

        Assert.Equal(["kept", "new", "old"], scanner.PythonDistributions().Select(d => d.Name));
    }

    [Fact]
    public void OS_packages_are_those_whose_dpkg_list_the_own_layers_wrote_with_the_version_from_the_last_status()
    {
        var scanner = new InventoryScanner();
        scanner.AddLayer(Layer(gzip: true,
            File("var/lib/dpkg/info/curl.list", "/usr/bin/curl\n"),
            File("var/lib/dpkg/info/curl.md5sums", "x"),
            File("var/lib/dpkg/info/removed-one.list", "/x\n"),
            File("var/lib/dpkg/status", "Package: curl\nStatus: install ok installed\nVersion: 0.1\n")));
        scanner.AddLayer(Layer(gzip: true, File("var/lib/dpkg/status", DpkgStatus.Replace("\r\n", "\n", StringComparison.Ordinal))));

        // libc6 is in the status (the base's) but no own layer wrote its list; removed-one is not installed.
        Assert.Equal([new OsPackage("curl", "7.88.1-10+deb12u5", "amd64")], scanner.OsPackages());
    }

    [Fact]
    public void A_multi_arch_list_name_finds_its_package()
    {
        var scanner = new InventoryScanner();
        scanner.AddLayer(Layer(gzip: false,
            File("var/lib/dpkg/info/libc6:amd64.list", "/lib\n"),
            File("var/lib/dpkg/status", DpkgStatus.Replace("\r\n", "\n", StringComparison.Ordinal))));

        Assert.Equal([new OsPackage("libc6", "2.36-9+deb12u4", "amd64")], scanner.OsPackages());
    }

    private static PaxTarEntry File(string path, string content = "") =>
        new(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    private static MemoryStream Layer(bool gzip, params PaxTarEntry[] entries)
    {
        var output = new MemoryStream();
        Stream target = gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : output;
        // The writer closes the gzip stream (which writes its trailer) and leaves the plain one open.
        using (var writer = new TarWriter(target, leaveOpen: !gzip))
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
