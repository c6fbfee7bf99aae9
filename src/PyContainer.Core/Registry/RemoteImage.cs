using PyContainer.Model;

namespace PyContainer.Registry;

/// <summary>
/// An image in a registry, normalized as docker does it: "python:3.11" is
/// registry-1.docker.io/library/python:3.11, so every part the client needs is written out.
/// </summary>
public sealed record RemoteImage(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The host Docker Hub's registry API answers on.</summary>
    public const string DockerHubRegistry = "registry-1.docker.io";

    /// <summary>What a manifest request asks for: the digest when there is one, else the tag, else "latest".</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    /// <summary>
    /// Parses <paramref name="reference"/> with the grammar of <see cref="ImageReference"/> (so an invalid one is
    /// PYC1001 naming <paramref name="source"/>), then normalizes Docker Hub's short forms.
    /// </summary>
    public static RemoteImage Parse(string reference, string source = "ContainerBaseImage")
    {
        ImageReference parsed = ImageReference.Parse(reference, source);
        string registry = parsed.Registry ?? DockerHubRegistry;
        string repository = parsed.Repository;
        if (IsDockerHub(registry))
        {
            registry = DockerHubRegistry;
            // Docker Hub's official images live under "library/": "python" is "library/python".
            if (!repository.Contains('/', StringComparison.Ordinal))
            {
                repository = "library/" + repository;
            }
        }

        return new RemoteImage(registry, repository, parsed.Tag, parsed.Digest);
    }

    /// <summary>The full reference, registry included; <see cref="Parse"/> reads it back to an equal record.</summary>
    public override string ToString() =>
        $"{Registry}/{Repository}" + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The names docker accepts for Docker Hub; they all mean the same registry.</summary>
    internal static bool IsDockerHub(string registry) =>
        registry is "docker.io" or "index.docker.io" or DockerHubRegistry;
}
