using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>Asks the plain-HTTP test registry directly, so "nothing was pushed" is checked at the registry, not in our log.</summary>
public static class PlainRegistry
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    public static async Task<bool> HasManifestAsync(string registry, string repository, string tag)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Head, registry, repository, tag);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw new InvalidOperationException($"The registry {registry} answered {(int)response.StatusCode} for {repository}:{tag}."),
        };
    }

    /// <summary>The manifest the registry serves for the tag: its digest (Docker-Content-Digest) and its JSON.</summary>
    public static async Task<(string Digest, JsonElement Manifest)> ManifestAsync(string registry, string repository, string tag)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, registry, repository, tag);
        response.EnsureSuccessStatusCode();
        string digest = response.Headers.GetValues("Docker-Content-Digest").Single();
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (digest, document.RootElement.Clone());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string registry, string repository, string tag)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(method, new Uri($"http://{registry}/v2/{repository}/manifests/{tag}"));
        foreach (string type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }
}
