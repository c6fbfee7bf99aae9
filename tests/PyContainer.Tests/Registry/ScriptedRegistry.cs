using System.Net;
using System.Text;
using PyContainer.Images;
using PyContainer.Registry;

namespace PyContainer.Tests.Registry;

/// <summary>One request as the scripted handler saw it.</summary>
internal sealed record SeenRequest(HttpMethod Method, Uri Uri, string? Authorization, byte[]? Body, string? ContentRange, string? ContentType);

/// <summary>
/// An in-process HTTP handler answering from a script, for the protocol logic of RegistryClient (auth rounds,
/// token caching, retries, uploads). The real registries are the end-to-end tests' (RegistryClientTests).
/// </summary>
internal sealed class ScriptedRegistry(Func<HttpRequestMessage, byte[]?, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<SeenRequest> Requests { get; } = [];

    public List<string> CredentialLookups { get; } = [];

    public static HttpResponseMessage Answer(HttpStatusCode status, string? body = null, string? contentType = null)
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8);
            if (contentType is not null)
            {
                response.Content.Headers.ContentType = new(contentType);
            }
        }

        return response;
    }

    public static HttpResponseMessage Challenge(string header)
    {
        HttpResponseMessage response = Answer(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
        return response;
    }

    public RegistryClient Client(string registry, RegistryCredential? credential = null, long? chunkSize = null) =>
        RegistryClient.For(registry, host =>
        {
            CredentialLookups.Add(host);
            return credential ?? new RegistryCredential(host, "none (anonymous)");
        }, new RegistryClientOptions { Handler = this, RetryDelay = TimeSpan.FromMilliseconds(1), ChunkSize = chunkSize, CertificateDirectories = [] });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[]? body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        string? range = request.Content?.Headers.TryGetValues("Content-Range", out var r) == true ? r.First() : null;
        Requests.Add(new(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body, range, request.Content?.Headers.ContentType?.MediaType));
        HttpResponseMessage response = respond(request, body);
        response.RequestMessage = request;
        return response;
    }
}
