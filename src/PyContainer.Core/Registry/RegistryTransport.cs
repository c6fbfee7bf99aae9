using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace PyContainer.Registry;

/// <summary>
/// The HTTP side of one registry: the connection (TLS trust from certs.d, no automatic decompression: blobs are
/// gzip and must stay byte for byte), redirects followed by hand (credentials never go to another host),
/// the timeout until the answer's headers, and retries with backoff of what may pass.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private const int MaxRedirects = 10;

    private readonly RegistryClientOptions _options;
    private readonly RegistryTrust? _trust;

    public RegistryTransport(string registry, RegistryClientOptions options)
    {
        Registry = registry;
        _options = options;
        HttpMessageHandler handler;
        if (options.Handler is { } injected)
        {
            handler = injected;
        }
        else
        {
            _trust = RegistryTrust.Load(registry, options.CertificateDirectories);
            var sockets = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = options.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                UseCookies = false,
            };
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => _trust.Validate(certificate, chain, errors);
            if (_trust.ClientCertificates.Count > 0)
            {
                sockets.SslOptions.ClientCertificates = _trust.ClientCertificates;
            }

            handler = sockets;
        }

        Http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
    }

    public string Registry { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Sends what <paramref name="create"/> makes (once per attempt, so a body stream is opened anew), follows
    /// redirects, and retries a passing failure when <paramref name="retry"/> allows it. The answer may be any
    /// status but a passing one that attempts remain for; a network failure that does not pass, or the last one,
    /// is PYC4006.
    /// </summary>
    /// <param name="timed">False for uploads, whose answer only comes after the whole body.</param>
    public async Task<HttpResponseMessage> SendAsync(RegistryOperation operation, Func<HttpRequestMessage> create, bool retry, bool timed, CancellationToken cancellationToken)
    {
        int attempts = retry ? Math.Max(1, _options.MaxAttempts) : 1;
        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendFollowingAsync(create(), timed, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && RegistryFailures.IsPassing(e) && attempt < attempts)
            {
                await WaitAsync(operation, RegistryFailures.Describe(e), attempt, null, cancellationToken);
                continue;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or TimeoutException)
            {
                throw RegistryFailures.Failed(Registry, operation, Describe(e), e);
            }

            if (RegistryFailures.IsPassing(response.StatusCode) && attempt < attempts)
            {
                string why = await RegistryFailures.DescribeAsync(response, cancellationToken);
                TimeSpan? after = RetryAfter(response);
                response.Dispose();
                await WaitAsync(operation, why, attempt, after, cancellationToken);
                continue;
            }

            return response;
        }
    }

    /// <summary>A failed TLS handshake says where docker (and this client) looks for the registry's CA.</summary>
    private string Describe(Exception e)
    {
        string description = RegistryFailures.Describe(e);
        if (e is not HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } || _options.Handler is not null)
        {
            return description;
        }

        string folder = Path.Combine(_options.CertificateDirectories.Count > 0 ? _options.CertificateDirectories[0] : "/etc/docker/certs.d", Registry);
        string read = _trust is { AuthorityFiles.Count: > 0 } trust ? "the CAs read were " + string.Join(", ", trust.AuthorityFiles) : "no CA file was found for it";
        return $"{description} ({read}; a registry with a private CA needs it in {Path.Combine(folder, "ca.crt")}, as docker reads it)";
    }

    private async Task WaitAsync(RegistryOperation operation, string why, int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        TimeSpan wait = retryAfter ?? _options.RetryDelay * Math.Pow(2, attempt - 1);
        _options.Log?.Info(string.Create(CultureInfo.InvariantCulture,
            $"  Registry {Registry}: {operation.What} of {operation.Repository} failed ({why}); retrying in {wait.TotalSeconds:0.#} s (attempt {attempt + 1} of {_options.MaxAttempts})."));
        await Task.Delay(wait, cancellationToken);
    }

    /// <summary>Retry-After in seconds or as a date, capped so a registry cannot stall the build for long.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, TimeSpan.FromSeconds(60).Ticks)) : null;
    }

    private async Task<HttpResponseMessage> SendFollowingAsync(HttpRequestMessage request, bool timed, CancellationToken cancellationToken)
    {
        for (int hop = 0; ; hop++)
        {
            HttpResponseMessage response = await SendOnceAsync(request, timed, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || hop == MaxRedirects
                || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
            {
                request.Dispose();
                return response;
            }

            Uri target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            var next = new HttpRequestMessage(request.Method, target);
            foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            // Blob storage (S3, a CDN) gets no registry credentials, and signed URLs refuse extra ones.
            if (!string.Equals(target.Authority, request.RequestUri!.Authority, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(target.Scheme, request.RequestUri.Scheme, StringComparison.OrdinalIgnoreCase))
            {
                next.Headers.Authorization = null;
            }

            response.Dispose();
            request.Dispose();
            request = next;
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, bool timed, CancellationToken cancellationToken)
    {
        if (!timed)
        {
            return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }

        // The timeout covers the wait for the headers only: a blob body then streams as long as it takes.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s"), e);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public void Dispose()
    {
        Http.Dispose();
        _trust?.Dispose();
    }
}
