using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// TLS to the engine as `docker --tlsverify` does it: the engine's certificate must chain to DOCKER_CERT_PATH's
/// ca.pem, and the client proves itself with cert.pem and key.pem.
/// </summary>
internal sealed class TlsClientAuthProvider : IAuthProvider
{
    private readonly X509Certificate2 _authority;
    private readonly X509Certificate2 _client;

    private TlsClientAuthProvider(X509Certificate2 authority, X509Certificate2 client)
    {
        _authority = authority;
        _client = client;
    }

    public bool TlsEnabled => true;

    public static TlsClientAuthProvider Load(string endpoint, string directory)
    {
        try
        {
            var authority = new X509Certificate2(Path.Combine(directory, "ca.pem"));
            using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
            // A PEM key is ephemeral; TLS client authentication on some platforms needs it exportable to a store.
            var client = new X509Certificate2(pem.Export(X509ContentType.Pkcs12));
            return new TlsClientAuthProvider(authority, client);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw Errors.Create(Errors.EngineTlsInvalid, e, endpoint, directory, e.Message);
        }
    }

    public HttpMessageHandler ConfigureHandler(HttpMessageHandler handler)
    {
        if (handler is SocketsHttpHandler sockets)
        {
            sockets.SslOptions.ClientCertificates = [_client];
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors);
        }

        return handler;
    }

    /// <summary>Host name checks stay on; only the trust root is DOCKER_CERT_PATH's CA instead of the system's.</summary>
    private bool Trusted(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
