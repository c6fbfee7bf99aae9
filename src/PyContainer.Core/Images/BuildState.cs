using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PyContainer.Images;

/// <summary>One reference pushed for an image, and the manifest digest the registry gave it.</summary>
public sealed record PushedImage(string Reference, string ManifestDigest);

/// <summary>
/// What the last successful ContainerBuild/ContainerPublish of a project produced, kept in obj/: the digest of
/// every input of the build (context bytes and build arguments), the image it gave and where it was pushed.
/// Equal inputs mean the same image, so the next build can skip the engine build and the push.
/// </summary>
public sealed record BuildState(string InputsDigest, string ImageId, IReadOnlyList<PushedImage> Pushed)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static BuildState? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<BuildState>(File.ReadAllText(path), JsonOptions) : null;
        }
        catch (JsonException)
        {
            return null; // A damaged state file only costs a rebuild.
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
    }

    /// <summary>
    /// The digest of everything that decides the image: the context's digest and the build arguments.
    /// Argument values are hashed, never stored, as they may carry index credentials.
    /// </summary>
    public static string DigestOf(string contextDigest, IEnumerable<KeyValuePair<string, string>> buildArguments)
    {
        var text = new StringBuilder(contextDigest).Append('\n');
        foreach ((string name, string value) in buildArguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}
