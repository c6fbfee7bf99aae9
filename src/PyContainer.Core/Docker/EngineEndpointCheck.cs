using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// The endpoint's form, checked before any connection, so that a mistake is reported against where the value came
/// from (the property, DOCKER_HOST, a docker context) with the form to use, not as a socket or URI error.
/// </summary>
public static class EngineEndpointCheck
{
    /// <summary>Throws PYC3008 unless the address is unix://, tcp://, http(s)://, ssh:// or npipe:// with what each needs.</summary>
    public static void Validate(EngineEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string address = endpoint.Address;
        PyContainerException Invalid(string why) => Errors.Create(Errors.InvalidEngineEndpoint, address, endpoint.Source, why);

        int schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            throw Invalid(address.StartsWith('/')
                ? $"a socket path needs 'unix://' in front: 'unix://{address}'"
                : $"it has no scheme; for an engine listening on TCP write 'tcp://{address}'");
        }

        string scheme = address[..schemeEnd].ToLowerInvariant();
        string rest = address[(schemeEnd + 3)..];
        switch (scheme)
        {
            case "unix":
                if (!rest.StartsWith('/'))
                {
                    throw Invalid($"unix:// takes an absolute socket path, so three slashes: 'unix:///{rest}'");
                }

                break;
            case "tcp" or "http" or "https":
                if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0)
                {
                    throw Invalid($"{scheme}:// takes a host and port, e.g. '{scheme}://127.0.0.1:2375'");
                }

                break;
            case "npipe":
                break;
            case "ssh":
                SshEngineAddress.Parse(endpoint);
                break;
            default:
                throw Invalid($"the scheme '{scheme}' is not one an engine listens on");
        }
    }

    /// <summary>The socket file of a unix:// endpoint, which must exist before a connection is worth trying.</summary>
    public static string? SocketPath(EngineEndpoint endpoint) =>
        endpoint?.Address.StartsWith("unix://", StringComparison.OrdinalIgnoreCase) == true ? endpoint.Address["unix://".Length..] : null;
}
