using PyContainer.Diagnostics;

namespace PyContainer.Python;

/// <summary>
/// Private package index credentials, read from the environment of the build (never from MSBuild properties,
/// which diagnostic logs print) and handed to the builder stage as build arguments only: PIP_INDEX_URL and
/// PIP_EXTRA_INDEX_URL as pip itself reads them, or PYCONTAINER_PIP_INDEX_USERNAME/_PASSWORD added to the
/// index URL. The runner stage declares no such ARG, so nothing reaches the final image.
/// </summary>
public static class PackageIndexCredentials
{
    public const string IndexUrl = "PIP_INDEX_URL";
    public const string ExtraIndexUrl = "PIP_EXTRA_INDEX_URL";
    public const string UserVariable = "PYCONTAINER_PIP_INDEX_USERNAME";
    public const string PasswordVariable = "PYCONTAINER_PIP_INDEX_PASSWORD";

    /// <summary>
    /// Adds the environment's index settings to <paramref name="buildArguments"/> (properties win for the URLs)
    /// and returns the secrets they carry, for redaction from logs and errors.
    /// </summary>
    public static IReadOnlyList<string> Apply(IDictionary<string, string> buildArguments, Func<string, string?> environment, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(buildArguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        var secrets = new List<string>();
        foreach (string name in new[] { IndexUrl, ExtraIndexUrl })
        {
            if (!buildArguments.ContainsKey(name) && environment(name) is { Length: > 0 } fromEnvironment)
            {
                // pip takes several extra indexes separated by blanks.
                foreach (string url in fromEnvironment.Split([' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    Uri uri = Validate(url, name);
                    secrets.AddRange(SecretsOf(uri));
                }

                buildArguments[name] = fromEnvironment.Trim();
                log.Info($"  Package index {name} from the environment: {Mask(fromEnvironment)}");
            }
        }

        string? password = environment(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            return secrets;
        }

        if (!buildArguments.TryGetValue(IndexUrl, out string? index))
        {
            throw Errors.Create(Errors.IndexPasswordWithoutIndex, PasswordVariable);
        }

        Uri indexUri = Validate(index, "PythonPackageIndexUrl");
        string user = environment(UserVariable) ?? "";
        buildArguments[IndexUrl] = $"{indexUri.Scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{indexUri.Authority}{indexUri.PathAndQuery}";
        secrets.Add(password);
        secrets.Add(Uri.EscapeDataString(password));
        log.Info($"  Package index credentials for {Mask(index)} from {UserVariable}/{PasswordVariable}");
        return secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every URL in <paramref name="text"/> with its user and password replaced by "***".</summary>
    public static string Mask(string text) =>
        string.Join(" ", (text ?? "").Split(' ').Select(part =>
            Uri.TryCreate(part, UriKind.Absolute, out Uri? uri) && uri.UserInfo.Length > 0
                ? part.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
                : part));

    /// <summary><paramref name="text"/> with every secret replaced by "***".</summary>
    public static string Redact(string text, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (string secret in secrets.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static Uri Validate(string url, string name) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Errors.Create(Errors.InvalidIndexUrl, name, Mask(url));

    private static IEnumerable<string> SecretsOf(Uri uri)
    {
        if (uri.UserInfo.Length == 0)
        {
            yield break;
        }

        // The raw user:password and, separately, the password, both as written and decoded.
        yield return uri.UserInfo;
        int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            string password = uri.UserInfo[(colon + 1)..];
            yield return password;
            yield return Uri.UnescapeDataString(password);
        }
    }
}
