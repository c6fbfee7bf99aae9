using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PyContainer.Registry;

/// <summary>
/// TLS trust for one registry as docker sets it up: the system's roots plus every *.crt in
/// &lt;certs.d&gt;/&lt;host[:port]&gt;/, and a client certificate from a *.cert / *.key pair there.
/// </summary>
internal sealed class RegistryTrust : IDisposable
{
    private readonly X509Certificate2Collection _authorities;

    private RegistryTrust(X509Certificate2Collection authorities, X509Certificate2Collection clients)
    {
        _authorities = authorities;
        ClientCertificates = clients;
    }

    public X509Certificate2Collection ClientCertificates { get; }

    /// <summary>The CA files that were read, for a message when the registry's certificate is not trusted.</summary>
    public IReadOnlyList<string> AuthorityFiles { get; private init; } = [];

    public static RegistryTrust Load(string registry, IReadOnlyList<string> directories)
    {
        var authorities = new X509Certificate2Collection();
        var clients = new X509Certificate2Collection();
        var files = new List<string>();
        foreach (string root in directories)
        {
            string folder = Path.Combine(root, registry);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*.crt").Order(StringComparer.Ordinal))
            {
                authorities.ImportFromPemFile(file);
                files.Add(file);
            }

            foreach (string certificate in Directory.EnumerateFiles(folder, "*.cert").Order(StringComparer.Ordinal))
            {
                string key = Path.ChangeExtension(certificate, ".key");
                if (File.Exists(key))
                {
                    using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
                    // A PEM key is ephemeral; TLS client authentication on some platforms needs it exportable.
                    clients.Add(new X509Certificate2(pem.Export(X509ContentType.Pkcs12)));
                }
            }
        }

        return new RegistryTrust(authorities, clients) { AuthorityFiles = files };
    }

    /// <summary>
    /// The system's verdict, unless the only fault is an unknown root: then the chain must end in one of the extra
    /// CAs. Host name checks always stay on.
    /// </summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || _authorities.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the server sent along.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var server = new X509Certificate2(certificate);
        return custom.Build(server);
    }

    public void Dispose()
    {
        foreach (X509Certificate2 certificate in _authorities.Concat(ClientCertificates))
        {
            certificate.Dispose();
        }
    }

    /// <summary>Files that cannot be read are the user's to fix; say which one.</summary>
    public static bool IsLoadFailure(Exception e) => e is IOException or CryptographicException or UnauthorizedAccessException;
}
