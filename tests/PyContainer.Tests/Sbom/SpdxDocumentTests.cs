using System.Text;
using System.Text.Json;
using PyContainer.Oci;
using PyContainer.Sbom;

namespace PyContainer.Tests.Sbom;

/// <summary>The SPDX 2.3 document: deterministic bytes, purls, licenses, relationships.</summary>
public sealed class SpdxDocumentTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private static readonly ImageInventory Inventory = new(
        new Platform("arm64", "linux") { Variant = "v8" },
        "localhost:5000/pycontainer-test/python:3.11-bookworm",
        "sha256:" + new string('b', 64),
        [
            new PythonDistribution("Flask", "2.2.2", "BSD-3-Clause", "ab12"),
            new PythonDistribution("zope.interface", "6.0+local", null, null) { LicenseText = "ZPL 2.1" },
        ],
        [new OsPackage("curl", "1:7.88.1-10", "arm64")]);

    private static readonly SbomSubject Image = new("localhost:5000/sbom/flask-hello", "latest", "sha256:" + new string('c', 64));

    [Fact]
    public void Equal_input_gives_equal_bytes_and_the_namespace_is_a_hash_of_the_content()
    {
        byte[] first = SpdxDocument.Write(Image, Inventory, Created);
        byte[] second = SpdxDocument.Write(Image, Inventory with { }, Created);
        byte[] other = SpdxDocument.Write(Image, Inventory with { OsPackages = [] }, Created);

        Assert.Equal(first, second);
        using JsonDocument a = JsonDocument.Parse(first);
        using JsonDocument b = JsonDocument.Parse(other);
        string space = a.RootElement.GetProperty("documentNamespace").GetString()!;
        Assert.StartsWith("https://spdx.org/spdxdocs/pycontainer-localhost-5000-sbom-flask-hello-", space, StringComparison.Ordinal);
        Assert.NotEqual(space, b.RootElement.GetProperty("documentNamespace").GetString());
        Assert.Equal("2023-11-14T22:13:20Z", a.RootElement.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.Equal("SPDX-2.3", a.RootElement.GetProperty("spdxVersion").GetString());
        Assert.StartsWith("Tool: PyContainer-", a.RootElement.GetProperty("creationInfo").GetProperty("creators")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Packages_have_purls_licenses_checksums_and_the_image_contains_them_and_descends_from_its_base()
    {
        using JsonDocument document = JsonDocument.Parse(SpdxDocument.Write(Image, Inventory, Created));
        JsonElement[] packages = [.. document.RootElement.GetProperty("packages").EnumerateArray()];

        Assert.Equal(["SPDXRef-Image", "SPDXRef-BaseImage", "SPDXRef-Package-pypi-Flask-2.2.2", "SPDXRef-Package-pypi-zope.interface-6.0-local", "SPDXRef-Package-deb-curl-1-7.88.1-10-arm64"], packages.Select(p => p.GetProperty("SPDXID").GetString()));
        Assert.Equal("CONTAINER", packages[0].GetProperty("primaryPackagePurpose").GetString());
        Assert.Equal("pkg:oci/python@sha256%3A" + new string('b', 64) + "?repository_url=localhost:5000/pycontainer-test/python", Purl(packages[1]));
        Assert.Equal("pkg:pypi/flask@2.2.2", Purl(packages[2]));
        Assert.Equal("BSD-3-Clause", packages[2].GetProperty("licenseDeclared").GetString());
        Assert.Equal("NOASSERTION", packages[2].GetProperty("licenseConcluded").GetString());
        Assert.Equal("ab12", packages[2].GetProperty("checksums")[0].GetProperty("checksumValue").GetString());
        Assert.Equal("pkg:pypi/zope-interface@6.0%2Blocal", Purl(packages[3]));
        Assert.Equal("NOASSERTION", packages[3].GetProperty("licenseDeclared").GetString());
        Assert.Contains("ZPL 2.1", packages[3].GetProperty("licenseComments").GetString(), StringComparison.Ordinal);
        Assert.Equal("pkg:deb/debian/curl@1%3A7.88.1-10?arch=arm64", Purl(packages[4]));

        string[] relationships = [.. document.RootElement.GetProperty("relationships").EnumerateArray()
            .Select(r => $"{r.GetProperty("spdxElementId").GetString()} {r.GetProperty("relationshipType").GetString()} {r.GetProperty("relatedSpdxElement").GetString()}")];
        Assert.Equal(
            [
                "SPDXRef-DOCUMENT DESCRIBES SPDXRef-Image",
                "SPDXRef-Image DESCENDANT_OF SPDXRef-BaseImage",
                "SPDXRef-Image CONTAINS SPDXRef-Package-pypi-Flask-2.2.2",
                "SPDXRef-Image CONTAINS SPDXRef-Package-pypi-zope.interface-6.0-local",
                "SPDXRef-Image CONTAINS SPDXRef-Package-deb-curl-1-7.88.1-10-arm64",
            ],
            relationships);
    }

    [Fact]
    public void A_docker_hub_base_gets_a_docker_io_repository_url_and_no_digest_means_no_purl()
    {
        Assert.Equal("pkg:oci/python@sha256%3A" + new string('a', 64) + "?repository_url=docker.io/library/python", SpdxDocument.OciPurl("python:3.12-slim", "sha256:" + new string('a', 64)));
        using JsonDocument document = JsonDocument.Parse(SpdxDocument.Write(Image, Inventory with { BaseDigest = null }, Created));
        Assert.False(document.RootElement.GetProperty("packages")[1].TryGetProperty("externalRefs", out _));
        Assert.DoesNotContain("\\u", Encoding.UTF8.GetString(SpdxDocument.Write(Image, Inventory, Created)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MIT", "MIT")]
    [InlineData("apache-2.0", "Apache-2.0")]
    [InlineData("(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause")]
    [InlineData("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0")]
    [InlineData("BSD", null)]
    [InlineData("MIT License", null)]
    [InlineData("MIT OR", null)]
    [InlineData("(MIT", null)]
    [InlineData("", null)]
    public void A_license_field_is_an_expression_only_when_it_is_one(string text, string? expected) =>
        Assert.Equal(expected, SpdxLicenses.Expression(text));

    [Fact]
    public void Sbom_file_names_say_the_platform()
    {
        string path = SbomFiles.PathFor("obj/container", "sbom/flask-hello", new Platform("arm64", "linux") { Variant = "v8" });
        Assert.Equal(Path.Combine("obj/container", "sbom", "sbom-flask-hello.linux-arm64-v8.spdx.json"), path);
        Assert.Equal(new Platform("arm64", "linux") { Variant = "v8" }, SbomFiles.PlatformOf(path));
        Assert.Equal(new Platform("amd64", "linux"), SbomFiles.PlatformOf(SbomFiles.PathFor("x", "a.b", new Platform("amd64", "linux"))));
    }

    private static string? Purl(JsonElement package) => package.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString();
}
