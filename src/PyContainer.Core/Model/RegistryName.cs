using System.Text.RegularExpressions;
using PyContainer.Diagnostics;

namespace PyContainer.Model;

/// <summary>
/// ContainerRegistry on its own: a host with an optional port, as in 'localhost:5000' or 'registry.example.com'.
/// A URL ('http://localhost:5000') or a trailing '/' is refused naming ContainerRegistry, with the form to use.
/// </summary>
public static partial class RegistryName
{
    // The patterns end in \z, not $: '$' also matches before a final '\n'.
    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();

    public static bool IsValid(string registry) => HostAndPort().IsMatch(registry);

    /// <summary>Throws PYC1035 naming ContainerRegistry unless <paramref name="registry"/> is a host[:port].</summary>
    public static void Validate(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (IsValid(registry))
        {
            return;
        }

        string why = Scheme().IsMatch(registry) ? "it is a URL, but the engine picks http or https itself"
            : registry.Contains('/') ? "it holds a '/', but a registry is a host and port without a path"
            : registry.Trim().Length == 0 ? "it is blank"
            : registry.Any(char.IsWhiteSpace) ? "it holds white space"
            : "it is not a host name or IP address with an optional ':port'";
        throw Errors.Create(Errors.InvalidRegistry, registry, why, Suggestion(registry));
    }

    /// <summary>What the user most likely meant: the host and port of a URL, without scheme, path or blanks.</summary>
    private static string Suggestion(string registry)
    {
        string rest = Scheme().Replace(registry.Trim(), "");
        int slash = rest.IndexOf('/');
        string host = slash >= 0 ? rest[..slash] : rest;
        return IsValid(host) ? host : "registry.example.com:5000";
    }
}
