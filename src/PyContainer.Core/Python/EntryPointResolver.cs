using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Settings;

namespace PyContainer.Python;

/// <summary>
/// Decides how the container starts the app: from the one entry-point property that is set, else by
/// detection (manage.py means Django; a single top-level module creating a Flask or FastAPI app). When it
/// cannot tell, it fails with the properties to set: an image that starts a bare interpreter is never made.
/// </summary>
internal static partial class EntryPointResolver
{
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.py$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptPattern();

    [GeneratedRegex(@"DJANGO_SETTINGS_MODULE['""]\s*,\s*['""]([A-Za-z_][A-Za-z0-9_.]*)['""]", RegexOptions.CultureInvariant)]
    private static partial Regex DjangoSettingsDefault();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(Flask|FastAPI)\(", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AppConstruction();

    private static readonly string[] DetectedModules = ["app.py", "main.py", "wsgi.py", "asgi.py", "server.py"];

    public static EntryPoint Resolve(PythonAppSettings settings, IReadOnlyList<AppFile> files)
    {
        var candidates = new List<(string Property, EntryPoint EntryPoint)>();
        WebServer wsgiServer = ParseWsgiServer(settings.PythonWsgiServer);
        if (!string.IsNullOrWhiteSpace(settings.PythonDjangoSettingsModule))
        {
            string module = SettingValidation.Module(settings.PythonDjangoSettingsModule, "PythonDjangoSettingsModule");
            candidates.Add(("PythonDjangoSettingsModule", Django(module, settings.PythonWsgiApp, wsgiServer)));
        }
        else if (!string.IsNullOrWhiteSpace(settings.PythonWsgiApp))
        {
            candidates.Add(("PythonWsgiApp", EntryPoint.Wsgi(SettingValidation.App(settings.PythonWsgiApp, "PythonWsgiApp"), wsgiServer)));
        }

        if (!string.IsNullOrWhiteSpace(settings.PythonAsgiApp))
        {
            candidates.Add(("PythonAsgiApp", EntryPoint.Asgi(SettingValidation.App(settings.PythonAsgiApp, "PythonAsgiApp"))));
        }

        if (!string.IsNullOrWhiteSpace(settings.PythonScript))
        {
            string value = settings.PythonScript.Trim().Replace('\\', '/');
            if (!ScriptPattern().IsMatch(value) || value.Contains("..", StringComparison.Ordinal))
            {
                throw Errors.Create(Errors.InvalidPropertyValue, "PythonScript", value, "use the script's path relative to the project folder, e.g. 'runapp.py'");
            }

            candidates.Add(("PythonScript", EntryPoint.Script(value)));
        }

        if (!string.IsNullOrWhiteSpace(settings.PythonModule))
        {
            candidates.Add(("PythonModule", EntryPoint.Module(SettingValidation.Module(settings.PythonModule, "PythonModule"))));
        }

        if (settings.ContainerAppCommand.Count > 0)
        {
            candidates.Add(("ContainerAppCommand", EntryPoint.Command(settings.ContainerAppCommand.ToList())));
        }

        return candidates.Count switch
        {
            0 => Detect(files, wsgiServer),
            1 => candidates[0].EntryPoint with { Property = candidates[0].Property },
            _ => throw Errors.Create(Errors.ConflictingEntryPoints, candidates.Count, string.Join(", ", candidates.Select(c => c.Property))),
        };
    }

    /// <summary>The WSGI module of a Django project sits beside its settings: "site.settings" serves "site.wsgi:application".</summary>
    private static EntryPoint Django(string settingsModule, string? wsgiApp, WebServer server)
    {
        string package = settingsModule.Contains('.', StringComparison.Ordinal) ? settingsModule[..settingsModule.LastIndexOf('.')] + "." : "";
        string app = string.IsNullOrWhiteSpace(wsgiApp) ? package + "wsgi:application" : SettingValidation.App(wsgiApp, "PythonWsgiApp");
        return EntryPoint.Django(app, settingsModule, server);
    }

    private static EntryPoint Detect(IReadOnlyList<AppFile> files, WebServer wsgiServer)
    {
        if (files.FirstOrDefault(f => f.AppPath == "manage.py") is { } manage
            && DjangoSettingsDefault().Match(File.ReadAllText(manage.SourcePath)) is { Success: true } settings)
        {
            return Django(settings.Groups[1].Value, null, wsgiServer) with { Property = "PythonDjangoSettingsModule (detected from manage.py)" };
        }

        var found = new List<EntryPoint>();
        foreach (AppFile file in files.Where(f => DetectedModules.Contains(f.AppPath)))
        {
            foreach (Match match in AppConstruction().Matches(File.ReadAllText(file.SourcePath)))
            {
                string app = file.AppPath[..^".py".Length] + ":" + match.Groups[1].Value;
                found.Add(match.Groups[2].Value == "Flask"
                    ? EntryPoint.Wsgi(app, wsgiServer) with { Property = "PythonWsgiApp (detected)" }
                    : EntryPoint.Asgi(app) with { Property = "PythonAsgiApp (detected)" });
            }
        }

        return found.Count == 1 ? found[0] : throw Errors.Create(Errors.NoEntryPoint);
    }

    private static WebServer ParseWsgiServer(string value) =>
        value.Trim().ToLowerInvariant() switch
        {
            "gunicorn" => WebServer.Gunicorn,
            "twisted" => WebServer.Twisted,
            "waitress" => WebServer.Waitress,
            _ => throw Errors.Create(Errors.InvalidPropertyValue, "PythonWsgiServer", value, "use gunicorn, twisted or waitress"),
        };
}
