using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PyContainer.Diagnostics;

namespace PyContainer.Registry;

/// <summary>
/// Turns the registry's answers and the network's failures into coded errors, and says which failures pass
/// (worth another attempt): 5xx, 429, broken connections and timeouts; never refusals, wrong names or bad TLS.
/// </summary>
internal static class RegistryFailures
{
    /// <summary>Error bodies are short JSON; a proxy's HTML page is cut, and nothing more is read.</summary>
    private const int MaxErrorBody = 16 * 1024;

    private const int MaxShownText = 300;

    public static PyContainerException Failed(string registry, RegistryOperation operation, string why, Exception? inner = null) =>
        Errors.Create(Errors.RegistryRequestFailed, inner, registry, operation.Repository, operation.What, why);

    public static PyContainerException Denied(string registry, RegistryOperation operation, string why, string credentialSource) =>
        Errors.Create(Errors.RegistryDenied, registry, operation.Repository, operation.What, why, credentialSource);

    public static bool IsPassing(HttpStatusCode status) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;

    /// <summary>True when another attempt may get through: not a refused connection, an unknown host or bad TLS.</summary>
    public static bool IsPassing(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => false,
        HttpRequestException h when h.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable } => false,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A network failure in a few words: the innermost message, which names the cause.</summary>
    public static string Describe(Exception e) => e switch
    {
        TimeoutException => e.Message,
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the TLS connection failed: " + Innermost(e),
        _ => "no answer: " + Innermost(e),
    };

    private static string Innermost(Exception e) => e.GetBaseException().Message.TrimEnd('.');

    /// <summary>"HTTP 404 Not Found: MANIFEST_UNKNOWN: manifest unknown", from the status and the error body.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        string body = await ReadBodyAsync(response, cancellationToken);
        string? detail = ErrorsOf(body) ?? OneLine(body);
        return string.IsNullOrEmpty(detail) ? status : $"{status}: {detail}";
    }

    /// <summary>The distribution spec's error body: {"errors":[{"code":..., "message":...}]}.</summary>
    internal static string? ErrorsOf(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out JsonElement errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parts = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => string.Join(": ", new[] { Text(e, "code"), Text(e, "message") }.Where(s => !string.IsNullOrEmpty(s))))
                .Where(s => s.Length > 0)
                .ToList();
            return parts.Count == 0 ? null : OneLine(string.Join("; ", parts));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string OneLine(string text)
    {
        string line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxShownText ? line : line[..MaxShownText] + "...";
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            byte[] buffer = new byte[MaxErrorBody];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }
}
