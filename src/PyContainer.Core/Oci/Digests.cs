using System.Security.Cryptography;

namespace PyContainer.Oci;

/// <summary>sha256 content digests in the OCI form "sha256:&lt;64 lowercase hex&gt;".</summary>
public static class Digests
{
    private const string Prefix = "sha256:";

    public static string Sha256(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Format(SHA256.HashData(content));
    }

    /// <summary>The digest of what is left in <paramref name="content"/> (read to its end, not disposed).</summary>
    public static string Sha256(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Format(SHA256.HashData(content));
    }

    /// <summary>The hex part of a sha256 digest (the blob's file name in an OCI layout).</summary>
    public static string Hex(string digest)
    {
        if (!IsSha256(digest))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest (sha256: and 64 lowercase hex digits).", nameof(digest));
        }

        return digest[Prefix.Length..];
    }

    public static bool IsSha256(string? digest)
    {
        if (digest is null || digest.Length != Prefix.Length + 64 || !digest.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (int i = Prefix.Length; i < digest.Length; i++)
        {
            if (!char.IsAsciiHexDigitLower(digest[i]) && !char.IsAsciiDigit(digest[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal static string Format(ReadOnlySpan<byte> hash) => Prefix + Convert.ToHexString(hash).ToLowerInvariant();
}
