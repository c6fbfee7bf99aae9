using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;

namespace PyContainer.Python.Wheels;

/// <summary>A file a project page lists: its name, where to get it and the sha256 the page states (if any).</summary>
internal sealed record IndexFile(string FileName, Uri Url, string? Sha256, int IndexOrder);

/// <summary>
/// A PEP 503 "simple" package index, read as pip reads it: the JSON form of PEP 691 when the server offers it, else
/// the HTML page of links. Credentials in the index URL (user:password@) go in a Basic Authorization header to
/// that host only and never into a message or log line.
/// </summary>
internal sealed partial class SimpleIndex
{
    private const string JsonType = "application/vnd.pypi.simple.v1+json";
    private readonly HttpClient _http;

    [GeneratedRegex(@"<a\s[^>]*?href\s*=\s*(?:""(?<href>[^""]*)""|'(?<href>[^']*)')[^>]*>(?<text>.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Anchor();

    public SimpleIndex(HttpClient http, string url, int order)
    {
        _http = http;
        Order = order;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Errors.Create(Errors.PackageIndexFailed, PackageIndexCredentials.Mask(url), "(any)", "it is not an absolute http(s) URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            string user = Uri.UnescapeDataString(parts[0]), password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        Base = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        Display = Base.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    /// <summary>The index URL without credentials, for messages.</summary>
    public string Display { get; }

    public int Order { get; }

    private Uri Base { get; }

    private AuthenticationHeaderValue? Authorization { get; }

    /// <summary>The files of <paramref name="project"/> on this index; none when the index does not have it (404).</summary>
    public async Task<List<IndexFile>> FilesAsync(string project, CancellationToken cancellationToken)
    {
        var page = new Uri(Base, Base.AbsolutePath.TrimEnd('/') + "/" + WheelFileName.Normalize(project) + "/");
        using HttpResponseMessage response = await SendAsync(page, JsonType + ", application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01", project, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        Check(response, project);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Uri location = response.RequestMessage?.RequestUri ?? page;
        try
        {
            return response.Content.Headers.ContentType?.MediaType == JsonType ? ParseJson(body, location) : ParseHtml(body, location);
        }
        catch (Exception e) when (e is JsonException or UriFormatException or InvalidOperationException)
        {
            throw Errors.Create(Errors.PackageIndexFailed, e, Display, project, $"its page for the project cannot be read ({e.Message})");
        }
    }

    /// <summary>Downloads <paramref name="file"/> to <paramref name="destination"/>, streaming, and returns its sha256 (hex).</summary>
    public async Task<string> DownloadAsync(IndexFile file, string project, string destination, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(file.Url, "*/*", project, cancellationToken).ConfigureAwait(false);
        Check(response, project);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (target.ConfigureAwait(false))
            {
                byte[] buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, string accept, string project, CancellationToken cancellationToken)
    {
        // Connection failures and 5xx answers are retried: a registry of packages behind a proxy has bad seconds.
        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd(accept);
            if (Authorization is not null && string.Equals(url.Authority, Base.Authority, StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Authorization = Authorization;
            }

            try
            {
                HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode < 500 || attempt == 3)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException e) when (attempt == 3)
            {
                throw Errors.Create(Errors.PackageIndexFailed, e, Display, project, $"{Redacted(url)} cannot be reached ({e.Message})");
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Errors.Create(Errors.PackageIndexFailed, e, Display, project, $"{Redacted(url)} did not answer in time");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private void Check(HttpResponseMessage response, string project)
    {
        if (!response.IsSuccessStatusCode)
        {
            Uri url = response.RequestMessage?.RequestUri ?? Base;
            string why = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? $"{Redacted(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}: the index credentials are missing or wrong"
                : $"{Redacted(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            throw Errors.Create(Errors.PackageIndexFailed, Display, project, why);
        }
    }

    private static string Redacted(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private List<IndexFile> ParseJson(string body, Uri page)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        var files = new List<IndexFile>();
        foreach (JsonElement file in document.RootElement.GetProperty("files").EnumerateArray())
        {
            string? sha256 = file.TryGetProperty("hashes", out JsonElement hashes) && hashes.TryGetProperty("sha256", out JsonElement h) ? h.GetString() : null;
            files.Add(new IndexFile(file.GetProperty("filename").GetString() ?? "", new Uri(page, file.GetProperty("url").GetString() ?? ""), sha256?.ToLowerInvariant(), Order));
        }

        return files;
    }

    private List<IndexFile> ParseHtml(string body, Uri page)
    {
        var files = new List<IndexFile>();
        foreach (Match anchor in Anchor().Matches(body))
        {
            var url = new Uri(page, WebUtility.HtmlDecode(anchor.Groups["href"].Value));
            string fragment = url.Fragment.TrimStart('#');
            string? sha256 = fragment.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) ? fragment[7..].ToLowerInvariant() : null;
            string text = WebUtility.HtmlDecode(anchor.Groups["text"].Value).Trim();
            string fileName = text.Length > 0 && !text.Contains('<', StringComparison.Ordinal) ? text : Uri.UnescapeDataString(url.AbsolutePath.Split('/')[^1]);
            files.Add(new IndexFile(fileName, url, sha256, Order));
        }

        return files;
    }
}
