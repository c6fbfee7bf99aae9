using System.Net;
using System.Net.Http.Headers;
using PyContainer.Oci;

namespace PyContainer.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// The referrers index the registry's referrers API (OCI distribution 1.1) serves for <paramref name="subjectDigest"/>,
    /// or null when the registry has no such API (it answers 404, as distribution 2.8 does): <see cref="Referrers"/>
    /// then keeps the referrers tag instead.
    /// </summary>
    public async Task<OciIndex?> GetReferrersAsync(string repository, string subjectDigest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        CheckDigest(subjectDigest);
        var operation = new RegistryOperation(repository, $"the list of the referrers of {subjectDigest}");
        using HttpResponseMessage response = await SendAsync(operation, Pull(repository), b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(b, $"v2/{repository}/referrers/{subjectDigest}"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            return request;
        }, retry: true, timed: true, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest)
        {
            return null;
        }

        await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.OK);
        return OciIndex.Parse(await ReadBoundedAsync(response, operation, cancellationToken));
    }

    /// <summary>The manifest or index <paramref name="reference"/> names, or null when the registry has none (404).</summary>
    public async Task<ManifestResponse?> FindManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        await FindManifestDigestAsync(repository, reference, cancellationToken) is { } digest
            ? await GetManifestAsync(repository, digest, cancellationToken)
            : null;
}
