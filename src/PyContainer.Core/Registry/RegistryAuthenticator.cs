using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PyContainer.Images;

namespace PyContainer.Registry;

/// <summary>
/// The Authorization header for a request, as docker works it out: nothing until the registry challenges; then
/// Basic with the user and password, or a Bearer token from the challenge's realm for the service and the
/// request's scopes (anonymous, with Basic credentials, or an identity token as an OAuth2 refresh token),
/// cached per scope set until it expires. The credential lookup runs on the first challenge only.
/// </summary>
internal sealed class RegistryAuthenticator(RegistryTransport transport, Func<string, RegistryCredential> credentials) : IDisposable
{
    /// <summary>A token that expires this soon is fetched again rather than sent.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    /// <summary>The token spec's default lifetime when the answer gives none.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    // Requests may run in parallel (layer uploads): the cache is concurrent, and fetches go one at a time so that
    // parallel requests of one scope share a token, and the credential lookup (maybe a helper process) runs once.
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<RegistryCredential> _credential = new(() => credentials(transport.Registry), LazyThreadSafetyMode.ExecutionAndPublication);
    private volatile AuthChallenge? _challenge;

    private string Registry => transport.Registry;

    /// <summary>Where the credentials came from, for messages; looked up if not yet.</summary>
    public string CredentialSource => Credential.Source;

    private RegistryCredential Credential => _credential.Value;

    /// <summary>True once the registry has challenged; until then requests go without credentials.</summary>
    public bool Challenged => _challenge is not null;

    /// <summary>Learns the challenge of a 401 (Bearer preferred over Basic, as docker does).</summary>
    public bool Learn(HttpResponseMessage response)
    {
        // The raw header values: .NET's own parse drops what it does not understand.
        IReadOnlyList<AuthChallenge> challenges = response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out HeaderStringValues values)
            ? AuthChallenge.Parse(values)
            : [];
        AuthChallenge? usable = challenges.FirstOrDefault(c => c.IsBearer && c.Realm is not null) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (usable is null)
        {
            return false;
        }

        _challenge = usable;
        return true;
    }

    /// <summary>Forgets the cached token for <paramref name="scopes"/>: the registry refused it.</summary>
    public void Forget(IReadOnlyList<string> scopes) => _tokens.TryRemove(Key(scopes), out _);

    public async Task<AuthenticationHeaderValue?> HeaderAsync(RegistryOperation operation, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        AuthChallenge? challenge = _challenge;
        if (challenge is null)
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            RegistryCredential credential = Credential;
            return credential.Username is { } user && credential.Password is { } password
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)))
                : null;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            string key = Key(scopes);
            if (_tokens.TryGetValue(key, out var cached) && cached.Expires - ExpiryMargin > DateTimeOffset.UtcNow)
            {
                return new AuthenticationHeaderValue("Bearer", cached.Token);
            }

            (string token, DateTimeOffset expires) = await FetchTokenAsync(operation, challenge, scopes, cancellationToken);
            _tokens[key] = (token, expires);
            return new AuthenticationHeaderValue("Bearer", token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Key(IReadOnlyList<string> scopes) => string.Join(' ', scopes.Order(StringComparer.Ordinal));

    private async Task<(string Token, DateTimeOffset Expires)> FetchTokenAsync(RegistryOperation operation, AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out Uri? realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw RegistryFailures.Failed(Registry, operation, $"its token realm '{challenge.Realm}' is not an http(s) URL");
        }

        // A scope the registry asks for that the request did not name (another action, say) is asked for too.
        List<string> all = [.. scopes];
        if (challenge.Scope is { Length: > 0 } asked)
        {
            all.AddRange(asked.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => !all.Contains(s, StringComparer.Ordinal)));
        }

        RegistryCredential credential = Credential;
        Func<HttpRequestMessage> create = credential.IdentityToken is { } refresh
            ? () => RefreshTokenRequest(realm, challenge.Service, all, refresh)
            : () => TokenRequest(realm, challenge.Service, all, credential);
        using HttpResponseMessage response = await transport.SendAsync(operation, create, retry: true, timed: true, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            string why = "its token server " + realm.GetLeftPart(UriPartial.Path) + " answered " + await RegistryFailures.DescribeAsync(response, cancellationToken);
            throw RegistryFailures.Denied(Registry, operation, why, credential.Source);
        }

        if (!response.IsSuccessStatusCode)
        {
            string why = "its token server " + realm.GetLeftPart(UriPartial.Path) + " answered " + await RegistryFailures.DescribeAsync(response, cancellationToken);
            throw RegistryFailures.Failed(Registry, operation, why);
        }

        return ReadToken(await response.Content.ReadAsByteArrayAsync(cancellationToken))
            ?? throw RegistryFailures.Failed(Registry, operation, "its token server " + realm.GetLeftPart(UriPartial.Path) + " sent no token");
    }

    /// <summary>GET with the service and scopes, and Basic credentials when there are any (docker's default).</summary>
    private static HttpRequestMessage TokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential credential)
    {
        var query = new StringBuilder(realm.Query.TrimStart('?'));
        if (service is not null)
        {
            Append(query, "service", service);
        }

        foreach (string scope in scopes)
        {
            Append(query, "scope", scope);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realm) { Query = query.ToString() }.Uri);
        if (credential.Username is { } user && credential.Password is { } password)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        }

        return request;
    }

    /// <summary>An identity token is an OAuth2 refresh token: POSTed as a form, as docker does.</summary>
    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", "pycontainer"),
            new("scope", string.Join(' ', scopes)),
        };
        if (service is not null)
        {
            form.Add(new("service", service));
        }

        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static void Append(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    /// <summary>{"token": ...} or {"access_token": ...}, with expires_in seconds and issued_at.</summary>
    internal static (string Token, DateTimeOffset Expires)? ReadToken(byte[] json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            string? token = (root.TryGetProperty("token", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null);
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }

            TimeSpan lifetime = root.TryGetProperty("expires_in", out JsonElement e) && e.TryGetInt32(out int seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
            DateTimeOffset issued = root.TryGetProperty("issued_at", out JsonElement i) && i.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(i.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
                && at <= DateTimeOffset.UtcNow ? at : DateTimeOffset.UtcNow;
            return (token, issued + lifetime);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _gate.Dispose();
}
