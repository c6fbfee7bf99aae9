using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>What a credential helper answered: a user and secret, or why there are none (safe to log).</summary>
public sealed record CredentialHelperResult(string? Username, string? Secret, string Absence = "")
{
    public static CredentialHelperResult None(string why) => new(null, null, why);
}

/// <summary>
/// Runs `docker-credential-NAME get` as docker does: the server on stdin, a JSON {"Username","Secret"} on stdout.
/// The helper's output holds the secret, so it never reaches a message or a log.
/// </summary>
public static class CredentialHelper
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static CredentialHelperResult Get(string name, string server)
    {
        string program = "docker-credential-" + name;
        var start = new ProcessStartInfo(program, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            // Like a push without login: a registry that needs no credentials still works.
            return CredentialHelperResult.None($"is not installed: {program} was not found on PATH");
        }

        process.StandardInput.Write(server);
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)Timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw Errors.Create(Errors.CredentialHelperFailed, program, server, $"it did not answer within {Timeout.TotalSeconds:0} s");
        }

        string stdout = output.GetAwaiter().GetResult();
        string stderr = error.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            // Helpers report a missing entry on stdout, e.g. "credentials not found in native keychain".
            string message = $"{stdout.Trim()} {stderr.Trim()}".Trim();
            if (message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                return CredentialHelperResult.None("has no credentials for " + server);
            }

            throw Errors.Create(Errors.CredentialHelperFailed, program, server, $"exit code {process.ExitCode}: {SafeExcerpt(message)}");
        }

        try
        {
            using JsonDocument answer = JsonDocument.Parse(stdout);
            string? user = answer.RootElement.TryGetProperty("Username", out JsonElement u) ? u.GetString() : null;
            string? secret = answer.RootElement.TryGetProperty("Secret", out JsonElement s) ? s.GetString() : null;
            return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(secret)
                ? CredentialHelperResult.None("answered no user or secret for " + server)
                : new CredentialHelperResult(user, secret);
        }
        catch (JsonException)
        {
            throw Errors.Create(Errors.CredentialHelperFailed, program, server, "its answer is not the JSON object docker expects");
        }
    }

    /// <summary>An error text a helper printed, unless it looks like it could carry the secret (JSON).</summary>
    private static string SafeExcerpt(string message) =>
        message.Length == 0 ? "no message"
        : message.Contains('{', StringComparison.Ordinal) ? "(output withheld: it may hold a secret)"
        : message.Length > 300 ? message[..300] + "..." : message;
}
