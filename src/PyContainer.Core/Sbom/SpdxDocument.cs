using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PyContainer.Oci;
using PyContainer.Python.Wheels;
using PyContainer.Registry;

namespace PyContainer.Sbom;

/// <summary>The image an SBOM describes: its name (repository), its first tag and its image id (config digest).</summary>
public sealed record SbomSubject(string Repository, string? Tag, string ImageId);

/// <summary>
/// An image's SBOM as SPDX 2.3 JSON. Byte-deterministic: equal input gives equal bytes (no random ids, no clock:
/// the creation time is passed in, the document namespace is a hash of the document itself), so an unchanged image
/// gets an unchanged SBOM and its referrer in the registry keeps its digest.
/// </summary>
public static class SpdxDocument
{
    /// <summary>The media type of an SPDX JSON document (the SBOM blob's and the referrer's artifact type).</summary>
    public const string MediaType = "application/spdx+json";

    private const string NoAssertion = "NOASSERTION";
    private const string ImageId = "SPDXRef-Image";
    private const string BaseId = "SPDXRef-BaseImage";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>PyContainer's version, as the document's creator names it.</summary>
    public static string ToolVersion { get; } = typeof(SpdxDocument).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Writes the SBOM of <paramref name="image"/> for one platform's <paramref name="inventory"/>.</summary>
    /// <param name="image">The image described.</param>
    /// <param name="inventory">What it holds.</param>
    /// <param name="created">The creation time: SOURCE_DATE_EPOCH, else the image config's.</param>
    public static byte[] Write(SbomSubject image, ImageInventory inventory, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(inventory);
        string name = $"{image.Repository}{(image.Tag is null ? "" : ":" + image.Tag)} ({inventory.Platform})";
        byte[] unnamed = Write(image, inventory, created, name, "");
        string hash = Convert.ToHexString(SHA256.HashData(unnamed)).ToLowerInvariant();
        return Write(image, inventory, created, name, $"https://spdx.org/spdxdocs/pycontainer-{Sanitize(image.Repository)}-{hash}");
    }

    /// <summary>The purl of a Python distribution: pkg:pypi/NAME@VERSION, the name PEP 503 normalized.</summary>
    public static string PypiPurl(string name, string version) => $"pkg:pypi/{WheelFileName.Normalize(name)}@{Uri.EscapeDataString(version)}";

    /// <summary>The purl of a Debian package: pkg:deb/debian/NAME@VERSION?arch=ARCH.</summary>
    public static string DebianPurl(OsPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return $"pkg:deb/debian/{Uri.EscapeDataString(package.Name)}@{Uri.EscapeDataString(package.Version)}" + (package.Architecture is null ? "" : "?arch=" + Uri.EscapeDataString(package.Architecture));
    }

    /// <summary>The purl of a base image known by digest: pkg:oci/NAME@sha256%3A...?repository_url=REGISTRY/REPOSITORY.</summary>
    public static string OciPurl(string reference, string digest)
    {
        RemoteImage parsed = RemoteImage.Parse(reference);
        string registry = parsed.Registry == RemoteImage.DockerHubRegistry ? "docker.io" : parsed.Registry;
        return $"pkg:oci/{parsed.Repository[(parsed.Repository.LastIndexOf('/') + 1)..]}@{Uri.EscapeDataString(digest)}?repository_url={registry}/{parsed.Repository}";
    }

    private static byte[] Write(SbomSubject image, ImageInventory inventory, DateTimeOffset created, string name, string documentNamespace)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("spdxVersion", "SPDX-2.3");
            writer.WriteString("dataLicense", "CC0-1.0");
            writer.WriteString("SPDXID", "SPDXRef-DOCUMENT");
            writer.WriteString("name", name);
            writer.WriteString("documentNamespace", documentNamespace);
            writer.WriteStartObject("creationInfo");
            writer.WriteString("created", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteStartArray("creators");
            writer.WriteStringValue("Tool: PyContainer-" + ToolVersion);
            writer.WriteEndArray();
            writer.WriteEndObject();

            var contained = new List<string>();
            writer.WriteStartArray("packages");
            WritePackage(writer, ImageId, image.Repository, image.Tag, purl: null, license: null, sha256: null, w =>
            {
                w.WriteString("primaryPackagePurpose", "CONTAINER");
                w.WriteString("comment", $"Image id (config digest) {image.ImageId}, platform {inventory.Platform}.");
            });
            if (inventory.BaseImage is { } baseImage)
            {
                WritePackage(writer, BaseId, baseImage, inventory.BaseDigest, inventory.BaseDigest is { } d ? OciPurl(baseImage, d) : null, license: null, sha256: null, w => w.WriteString("primaryPackagePurpose", "CONTAINER"));
            }

            foreach (PythonDistribution python in inventory.Python)
            {
                string id = UniqueId(contained, $"SPDXRef-Package-pypi-{python.Name}-{python.Version}");
                WritePackage(writer, id, python.Name, python.Version, PypiPurl(python.Name, python.Version), python.License ?? NoAssertion, python.Sha256, w =>
                {
                    if (python.License is null && python.LicenseText is { } text)
                    {
                        w.WriteString("licenseComments", "The package's License metadata, which is not an SPDX expression: " + text);
                    }
                });
            }

            foreach (OsPackage package in inventory.OsPackages)
            {
                string id = UniqueId(contained, $"SPDXRef-Package-deb-{package.Name}-{package.Version}-{package.Architecture}");
                WritePackage(writer, id, package.Name, package.Version, DebianPurl(package), license: null, sha256: null, extra: null);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("relationships");
            WriteRelationship(writer, "SPDXRef-DOCUMENT", "DESCRIBES", ImageId);
            if (inventory.BaseImage is not null)
            {
                WriteRelationship(writer, ImageId, "DESCENDANT_OF", BaseId);
            }

            contained.ForEach(id => WriteRelationship(writer, ImageId, "CONTAINS", id));
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WritePackage(Utf8JsonWriter writer, string id, string name, string? version, string? purl, string? license, string? sha256, Action<Utf8JsonWriter>? extra)
    {
        writer.WriteStartObject();
        writer.WriteString("SPDXID", id);
        writer.WriteString("name", name);
        if (version is not null)
        {
            writer.WriteString("versionInfo", version);
        }

        writer.WriteString("downloadLocation", NoAssertion);
        writer.WriteBoolean("filesAnalyzed", false);
        if (sha256 is not null)
        {
            writer.WriteStartArray("checksums");
            writer.WriteStartObject();
            writer.WriteString("algorithm", "SHA256");
            writer.WriteString("checksumValue", sha256);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        if (license is not null)
        {
            writer.WriteString("licenseConcluded", NoAssertion);
            writer.WriteString("licenseDeclared", license);
        }

        extra?.Invoke(writer);
        if (purl is not null)
        {
            writer.WriteStartArray("externalRefs");
            writer.WriteStartObject();
            writer.WriteString("referenceCategory", "PACKAGE-MANAGER");
            writer.WriteString("referenceType", "purl");
            writer.WriteString("referenceLocator", purl);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteRelationship(Utf8JsonWriter writer, string element, string type, string related)
    {
        writer.WriteStartObject();
        writer.WriteString("spdxElementId", element);
        writer.WriteString("relationshipType", type);
        writer.WriteString("relatedSpdxElement", related);
        writer.WriteEndObject();
    }

    /// <summary>An SPDX id (letters, digits, '.' and '-') not used before in this document; it is added to <paramref name="used"/>.</summary>
    private static string UniqueId(List<string> used, string candidate)
    {
        string id = Sanitize(candidate);
        string unique = id;
        for (int n = 2; used.Contains(unique, StringComparer.Ordinal); n++)
        {
            unique = id + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        used.Add(unique);
        return unique;
    }

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }

        return builder.ToString();
    }
}
