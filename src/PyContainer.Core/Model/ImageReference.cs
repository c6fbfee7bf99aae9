using System.Text.RegularExpressions;
using PyContainer.Diagnostics;

namespace PyContainer.Model;

/// <summary>
/// A parsed image reference, <c>[registry/]repository[:tag][@digest]</c>, validated by the distribution spec's
/// grammar so that a bad value fails here with a coded error instead of deep inside the engine.
/// </summary>
public sealed partial record ImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    private const int MaxNameLength = 255;

    // The patterns end in \z, not $: '$' also matches before a final '\n', which would let "app:1.0\n" through.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    /// <summary>The repository including its registry, without tag or digest: what `docker push` takes.</summary>
    public string Name => Registry is null ? Repository : $"{Registry}/{Repository}";

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Parses <paramref name="value"/>; <paramref name="source"/> names the property it came from.</summary>
    public static ImageReference Parse(string value, string source)
    {
        PyContainerException Invalid(string why) => Errors.Create(Errors.InvalidImageReference, value, source, why);

        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid("it is empty");
        }

        string rest = value;
        string? digest = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                throw Invalid("the digest must be 'sha256:' followed by 64 lower-case hex digits");
            }
        }

        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                throw Invalid("the tag may hold up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
            }
        }

        string? registry = null;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            string first = rest[..slash];
            // As docker does: the first part is a registry only when it looks like a host.
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
                if (!RegistryName.IsValid(registry))
                {
                    throw Invalid($"'{registry}' is not a valid registry host[:port]");
                }
            }
        }

        return Create(registry, rest, tag, digest, Invalid);
    }

    /// <summary>Builds a reference from separately given parts (ContainerRegistry, ContainerRepository, a tag).</summary>
    public static ImageReference FromParts(string? registry, string repository, string? tag, string source)
    {
        string shown = (string.IsNullOrEmpty(registry) ? "" : registry + "/") + repository + (tag is null ? "" : ":" + tag);
        PyContainerException Invalid(string why) => Errors.Create(Errors.InvalidImageReference, shown, source, why);
        if (!string.IsNullOrEmpty(registry))
        {
            RegistryName.Validate(registry!); // PYC1035 names ContainerRegistry, whichever property the rest came from.
        }

        if (tag is not null && !TagPattern().IsMatch(tag))
        {
            throw Errors.Create(Errors.InvalidTag, tag, source);
        }

        return Create(string.IsNullOrEmpty(registry) ? null : registry, repository, tag, null, Invalid);
    }

    private static ImageReference Create(string? registry, string repository, string? tag, string? digest, Func<string, PyContainerException> invalid)
    {
        if (repository.Length == 0)
        {
            throw invalid("the repository name is empty");
        }

        if (repository.Length > MaxNameLength)
        {
            throw invalid($"the repository name is longer than {MaxNameLength} characters");
        }

        if (!RepositoryPattern().IsMatch(repository))
        {
            throw invalid("repository names use lower-case letters, digits and single separators ('.', '_', '__', '-', '/')");
        }

        return new ImageReference(registry, repository, tag, digest);
    }

    /// <summary>True for images built on musl (Alpine): their wheels and binaries do not run on glibc images.</summary>
    public bool IsAlpine => (Tag ?? "").Contains("alpine", StringComparison.Ordinal)
        || Repository.EndsWith("alpine", StringComparison.Ordinal);
}
