using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using PyContainer.Diagnostics;

namespace PyContainer.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Sends a request made against the registry's base URI with the credentials its scopes need. A 401 teaches
    /// the challenge and the request goes once more with credentials; a 401 after that, or any 403, is PYC4008.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(RegistryOperation operation, IReadOnlyList<string> scopes, Func<Uri, HttpRequestMessage> create, bool retry, bool timed, CancellationToken cancellationToken)
    {
        Uri baseUri = await BaseAsync(operation, cancellationToken);
        for (int round = 1; ; round++)
        {
            AuthenticationHeaderValue? header = await _auth.HeaderAsync(operation, scopes, cancellationToken);
            HttpResponseMessage response = await _transport.SendAsync(operation, () =>
            {
                HttpRequestMessage request = create(baseUri);
                request.Headers.Authorization = header;
                return request;
            }, retry, timed, cancellationToken);

            if (response.StatusCode == HttpStatusCode.Unauthorized && round == 1 && _auth.Learn(response))
            {
                // An expired token, a scope it lacked, or the first challenge: ask again with fresh credentials.
                _auth.Forget(scopes);
                response.Dispose();
                continue;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                using (response)
                {
                    string why = await RegistryFailures.DescribeAsync(response, cancellationToken);
                    throw RegistryFailures.Denied(Registry, operation, why, _auth.CredentialSource);
                }
            }

            return response;
        }
    }

    /// <summary>
    /// The base URI, found on first use by asking /v2/ as docker does: https, else http for a loopback or
    /// insecure registry. The answer's challenge (if any) tells how to authenticate.
    /// </summary>
    private async Task<Uri> BaseAsync(RegistryOperation operation, CancellationToken cancellationToken)
    {
        if (_base is { } known)
        {
            return known;
        }

        await _pingGate.WaitAsync(cancellationToken);
        try
        {
            if (_base is null)
            {
                var https = new Uri($"https://{Registry}/");
                try
                {
                    await PingAsync(https, operation, cancellationToken);
                    _base = https;
                }
                catch (PyContainerException e) when (e.Code == Errors.RegistryRequestFailed && e.InnerException is not null && AllowsHttp())
                {
                    var http = new Uri($"http://{Registry}/");
                    if (!await TryPingAsync(http, operation, cancellationToken))
                    {
                        throw;
                    }

                    _options.Log?.Detail($"  Registry {Registry}: https failed ({RegistryFailures.Describe(e.InnerException)}); using http, as docker does for a {(IsLoopback(Registry) ? "loopback" : "insecure")} registry.");
                    _base = http;
                }
            }

            return _base;
        }
        finally
        {
            _pingGate.Release();
        }
    }

    private async Task PingAsync(Uri baseUri, RegistryOperation operation, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _transport.SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/")), retry: true, timed: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            _auth.Learn(response);
        }
        else if (RegistryFailures.IsPassing(response.StatusCode))
        {
            throw RegistryFailures.Failed(Registry, operation, $"{new Uri(baseUri, "v2/")} answered " + await RegistryFailures.DescribeAsync(response, cancellationToken));
        }
    }

    /// <summary>The http fallback counts only if a registry answers there (not "HTTP 400: this is an https port").</summary>
    private async Task<bool> TryPingAsync(Uri baseUri, RegistryOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _transport.SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/")), retry: false, timed: true, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                _auth.Learn(response);
            }

            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized;
        }
        catch (PyContainerException e) when (e.Code == Errors.RegistryRequestFailed)
        {
            return false;
        }
    }

    private bool AllowsHttp() =>
        IsLoopback(Registry) || _options.InsecureRegistries.Contains(Registry, StringComparer.OrdinalIgnoreCase);

    /// <summary>localhost, 127.0.0.0/8 and ::1, with or without a port: docker treats them as insecure registries.</summary>
    internal static bool IsLoopback(string registry)
    {
        string host = registry;
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = host[..host.LastIndexOf(':')];
        }

        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out IPAddress? address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && IPAddress.IsLoopback(address));
    }
}
