using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PyContainer.Registry;

/// <summary>sha256 digests in the "sha256:&lt;hex&gt;" form the registry API uses.</summary>
internal static partial class RegistryDigest
{
    [GeneratedRegex(@"^sha256:[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();

    public static string Sha256(byte[] content) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLower(CultureInfo.InvariantCulture);

    public static bool IsSha256(string value) => Sha256Pattern().IsMatch(value);

    /// <summary>True when a manifest reference names a digest rather than a tag.</summary>
    public static bool IsDigest(string reference) => reference.Contains(':', StringComparison.Ordinal);
}
