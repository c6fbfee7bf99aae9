using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// The app's files from PythonSource and PythonContent items: each once, by its path inside the app (see
/// <see cref="InputFile.Locate"/>), which must stay inside the app; sorted by that path.
/// </summary>
internal static class AppFileResolver
{
    public static List<AppFile> Resolve(PythonAppSettings settings)
    {
        string root = Path.GetFullPath(settings.ProjectDirectory);
        var byAppPath = new Dictionary<string, AppFile>(StringComparer.Ordinal);
        foreach (InputFile input in settings.Files)
        {
            (string full, string appPath) = input.Locate(root);
            if (!File.Exists(full))
            {
                throw Errors.Create(Errors.SourceFileMissing, input.ItemType, input.Path);
            }

            // Outside the project: a relative path that leaves it, or a path (a Link too) with an empty, "." or ".." part.
            bool linked = !string.IsNullOrWhiteSpace(input.Link);
            if ((!linked && (appPath.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(appPath)))
                || appPath.Length == 0 || appPath.Split('/').Any(part => part is "" or "." or "..") || appPath.Any(char.IsControl))
            {
                throw Errors.Create(Errors.SourceOutsideProject, input.ItemType, input.Path);
            }

            var file = new AppFile(full, appPath);
            if (byAppPath.TryGetValue(appPath, out AppFile? existing))
            {
                if (!string.Equals(existing.SourcePath, full, StringComparison.Ordinal))
                {
                    throw Errors.Create(Errors.DuplicateContextPath, appPath, existing.SourcePath, full);
                }

                continue;
            }

            byAppPath.Add(appPath, file);
        }

        return byAppPath.Values.OrderBy(f => f.AppPath, StringComparer.Ordinal).ToList();
    }
}
