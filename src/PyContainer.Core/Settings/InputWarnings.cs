using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// Inputs that build, but probably not into what the user wants: secrets or local environments among the
/// app's files, a web server missing from the requirements, an app running as root.
/// </summary>
internal static class InputWarnings
{
    private static readonly string[] SensitiveFolders = [".git", ".venv", "venv", ".ssh", ".aws"];
    private static readonly string[] SensitiveExtensions = [".pem", ".key", ".p12", ".pfx"];

    public static IEnumerable<(string Code, string Message)> For(IReadOnlyList<AppFile> files, EntryPoint entryPoint, IReadOnlyList<string> requirements, bool isProject, string user)
    {
        foreach (AppFile file in files.Where(f => IsSensitive(f.AppPath)))
        {
            yield return Warning(Errors.SensitiveInput, file.AppPath);
        }

        // A project's own dependencies are in its pyproject.toml or setup.py, which are not read here.
        if (entryPoint.IsWebApp && !isProject)
        {
            string server = entryPoint.Server.ToString().ToLowerInvariant();
            if (!requirements.Any(r => ProjectName(r) == server))
            {
                string property = entryPoint.Kind == EntryPointKind.Asgi ? "PythonAsgiApp (served by uvicorn)" : "PythonWsgiServer " + server;
                yield return Warning(Errors.ServerNotRequired, property, server);
            }
        }

        if (user.Split(':')[0] is "root" or "0")
        {
            yield return Warning(Errors.RootUser, user);
        }
    }

    private static (string, string) Warning(string code, params object[] args) => (code, Errors.Create(code, args).Message);

    private static bool IsSensitive(string appPath)
    {
        string[] parts = appPath.Split('/');
        string name = parts[^1];
        return parts.Take(parts.Length - 1).Any(folder => SensitiveFolders.Contains(folder))
            || name == ".env" || name.StartsWith(".env.", StringComparison.Ordinal)
            || name.StartsWith("id_rsa", StringComparison.Ordinal) || name.StartsWith("id_ed25519", StringComparison.Ordinal)
            || SensitiveExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The normalized project name of a requirement line: "Flask[async]>=2" is "flask" (PEP 503).</summary>
    private static string ProjectName(string requirement)
    {
        int end = requirement.IndexOfAny(['<', '>', '=', '!', '~', '[', ';', '@', ' ']);
        return (end < 0 ? requirement : requirement[..end]).Trim().ToLowerInvariant().Replace('_', '-').Replace('.', '-');
    }
}
