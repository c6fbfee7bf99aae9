using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// An ssh://[user@]host[:port][/socket] engine address, and the ssh command line the docker CLI runs for it:
/// `ssh -o ConnectTimeout=30 -T [-l user] [-p port] -- host docker system dial-stdio`, which relays the remote
/// engine's socket over ssh's stdin and stdout. BatchMode=yes is added so that no password or host key prompt can
/// ever wait for an answer during a build: ssh fails instead, with its own message.
/// </summary>
public sealed record SshEngineAddress(string? User, string Host, string? Port, string? SocketPath)
{
    /// <summary>Parses the address as the docker CLI does; a malformed one is PYC3008 naming its source.</summary>
    public static SshEngineAddress Parse(EngineEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        PyContainerException Invalid(string why) => Errors.Create(Errors.InvalidEngineEndpoint, endpoint.Address, endpoint.Source, why);
        if (!Uri.TryCreate(endpoint.Address, UriKind.Absolute, out Uri? uri) || !uri.Scheme.Equals("ssh", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("ssh:// takes [user@]host[:port], e.g. 'ssh://builder@build-host' or 'ssh://builder@build-host:2222'");
        }

        if (uri.Host.Length == 0)
        {
            throw Invalid("it names no host; write 'ssh://user@host'");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Invalid("ssh:// takes no query or fragment ('?...', '#...')");
        }

        string? user = null;
        if (uri.UserInfo.Length > 0)
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                // Never echo the password back: the address in the message has it masked.
                string masked = endpoint.Address.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal);
                throw Errors.Create(Errors.InvalidEngineEndpoint, masked, endpoint.Source, "a password in the address is not supported; log in with a key (ssh-agent or IdentityFile in ~/.ssh/config)");
            }

            user = Uri.UnescapeDataString(uri.UserInfo);
        }

        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        return new SshEngineAddress(
            user,
            uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            path.Trim('/').Length > 0 ? path : null);
    }

    /// <summary>The arguments of `ssh` (the program itself not included).</summary>
    public IReadOnlyList<string> SshArguments()
    {
        var arguments = new List<string> { "-o", "ConnectTimeout=30", "-T", "-o", "BatchMode=yes" };
        if (User is not null)
        {
            arguments.AddRange(["-l", User]);
        }

        if (Port is not null)
        {
            arguments.AddRange(["-p", Port]);
        }

        // "--" ends ssh's options, so a host that starts with '-' is a host, never an option.
        arguments.AddRange(["--", Host, "docker"]);
        if (SocketPath is not null)
        {
            arguments.Add("--host=unix://" + SocketPath);
        }

        arguments.AddRange(["system", "dial-stdio"]);
        return arguments;
    }

    /// <summary>The command line as a user would type it, for messages.</summary>
    public string CommandLine() =>
        "ssh " + string.Join(' ', SshArguments().Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}
