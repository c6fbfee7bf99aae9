using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Settings;

namespace PyContainer.Context;

/// <summary>
/// Chooses the app's files: by default every file under the project folder, minus <see cref="BuiltInExcludes"/>,
/// the DefaultPythonItemExcludes patterns and what the folder's own .dockerignore excludes; then the explicit
/// PythonSource and PythonContent items, which always go in. Every file met gets a decision with its reason,
/// for the context list.
/// </summary>
public static class ContentSelector
{
    public const string DockerIgnoreFile = ".dockerignore";

    public static ContentSelection Select(ContentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string root = Path.GetFullPath(options.ProjectDirectory);
        var decisions = new SortedDictionary<string, ContentDecision>(StringComparer.Ordinal);
        var warnings = new List<(string Code, string Message)>();
        if (options.EnableDefaultPythonContentItems)
        {
            var walker = new Walker(root, options.DefaultPythonItemExcludes, decisions, warnings);
            walker.Walk(root, "");
        }

        var files = new List<InputFile>();
        var explicitPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (InputFile input in options.ExplicitFiles)
        {
            files.Add(input);
            (string full, string appPath) = input.Locate(root);
            explicitPaths.Add(appPath);
            string reason = input.ItemType + " item";
            if (decisions.TryGetValue(appPath, out ContentDecision? earlier) && !earlier.In)
            {
                reason += $", which adds back what {earlier.Reason} leaves out";
            }

            decisions[appPath] = new ContentDecision(appPath, full, true, reason, SizeOf(full));
        }

        foreach (ContentDecision decision in decisions.Values.Where(d => d.In && !explicitPaths.Contains(d.AppPath)))
        {
            files.Add(new InputFile("PythonContent", decision.SourcePath));
        }

        return new ContentSelection(files, decisions.Values.ToList(), warnings);
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>One walk of the project folder.</summary>
    private sealed class Walker
    {
        private readonly DockerIgnore _builtIn;
        private readonly Dictionary<DockerIgnorePattern, string> _kinds;
        private readonly DockerIgnore _extra;
        private readonly DockerIgnore _user;
        private readonly SortedDictionary<string, ContentDecision> _decisions;
        private readonly List<(string Code, string Message)> _warnings;
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

        public Walker(string root, IEnumerable<string> extraExcludes, SortedDictionary<string, ContentDecision> decisions, List<(string Code, string Message)> warnings)
        {
            (_builtIn, _kinds) = BuiltInExcludes.Create();
            _extra = DockerIgnore.FromPatterns(extraExcludes.Where(p => !string.IsNullOrWhiteSpace(p)), "DefaultPythonItemExcludes");
            string ignoreFile = Path.Combine(root, DockerIgnoreFile);
            _user = File.Exists(ignoreFile) ? DockerIgnore.Parse(File.ReadAllText(ignoreFile), DockerIgnoreFile) : DockerIgnore.FromPatterns([], DockerIgnoreFile);
            _decisions = decisions;
            _warnings = warnings;
            _visited.Add(RealPath(root));
        }

        public void Walk(string directory, string relative)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(directory).OrderBy(e => e, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(entry);
                string path = relative.Length == 0 ? name : relative + "/" + name;
                bool isDirectory = Directory.Exists(entry);
                bool isLink = (File.GetAttributes(entry) & FileAttributes.ReparsePoint) != 0;
                if (Excluded(path, isDirectory, entry) is { } reason)
                {
                    Out(path, entry, isDirectory, reason);
                    continue;
                }

                if (_user.Match(path) is { Excluded: true } ignored && !(isDirectory && _user.MayReincludeUnder(path)))
                {
                    Out(path, entry, isDirectory, $"{DockerIgnoreFile} line {ignored.Decider!.Line} '{ignored.Decider.Text}'");
                    continue;
                }

                if (isDirectory)
                {
                    WalkInto(entry, path, isLink);
                }
                else
                {
                    AddFile(entry, path, isLink);
                }
            }
        }

        /// <summary>The built-in or DefaultPythonItemExcludes rule that leaves the path out, if one does.</summary>
        private string? Excluded(string path, bool isDirectory, string entry)
        {
            if (_builtIn.Match(path) is { Excluded: true, Decider: { } rule })
            {
                return $"built-in exclusion of {_kinds[rule]} '{rule.Text}'";
            }

            if (isDirectory && File.Exists(Path.Combine(entry, "pyvenv.cfg")))
            {
                return "built-in exclusion of virtual environment (the folder has a pyvenv.cfg)";
            }

            return _extra.Match(path) is { Excluded: true, Decider: { } extra } ? $"DefaultPythonItemExcludes '{extra.Text}'" : null;
        }

        private void WalkInto(string entry, string path, bool isLink)
        {
            // A folder reached twice through symbolic links (a loop, or two links to one folder) is walked once.
            if (!_visited.Add(RealPath(entry)))
            {
                LeaveOut(path, entry, true, "a symbolic link to a folder already in the app (a link loop?)");
                return;
            }

            try
            {
                Walk(entry, path);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                LeaveOut(path, entry, true, (isLink ? "a symbolic link to a folder that " : "a folder that ") + "cannot be read (" + e.Message + ")");
            }
        }

        private void AddFile(string entry, string path, bool isLink)
        {
            if (path.Any(char.IsControl))
            {
                LeaveOut(path.Replace('\t', '?').Replace('\n', '?').Replace('\r', '?'), entry, false, "its name holds a control character (a tab or a line break)");
                return;
            }

            if (isLink && !File.Exists(entry))
            {
                LeaveOut(path, entry, false, $"it is a symbolic link to '{LinkTarget(entry)}', which does not exist here");
                return;
            }

            long size;
            try
            {
                using var stream = new FileStream(entry, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                size = stream.Length;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                LeaveOut(path, entry, false, (isLink ? $"it is a symbolic link to '{LinkTarget(entry)}', which " : "it ") + "cannot be read (" + e.Message + ")");
                return;
            }

            string reason = isLink ? $"default content (a symbolic link: the content of '{LinkTarget(entry)}' goes in)" : "default content";
            if (_user.Match(path) is { Decider: { Reincludes: true } again })
            {
                reason += $", re-included by {DockerIgnoreFile} line {again.Line} '{again.Text}'";
            }

            _decisions[path] = new ContentDecision(path, entry, true, reason, size);
        }

        private void Out(string path, string entry, bool isDirectory, string reason) =>
            _decisions[isDirectory ? path + "/" : path] = new ContentDecision(isDirectory ? path + "/" : path, entry, false, reason, 0);

        /// <summary>A file the user probably wants but that cannot go in: left out, with a warning that says how to add it.</summary>
        private void LeaveOut(string path, string entry, bool isDirectory, string why)
        {
            Out(path, entry, isDirectory, why);
            _warnings.Add((Errors.ContentLeftOut, Errors.Create(Errors.ContentLeftOut, path, why).Message));
        }

        private static string LinkTarget(string path) => new FileInfo(path).LinkTarget ?? "?";

        private static string RealPath(string directory)
        {
            var info = new DirectoryInfo(directory);
            return info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
    }
}

/// <summary>What <see cref="ContentSelector.Select"/> works from.</summary>
public sealed record ContentOptions
{
    public required string ProjectDirectory { get; init; }

    /// <summary>False leaves only the explicit items (the targets default it to true).</summary>
    public required bool EnableDefaultPythonContentItems { get; init; }

    /// <summary>The PythonSource and PythonContent items, which always go in.</summary>
    public IList<InputFile> ExplicitFiles { get; init; } = [];

    /// <summary>More patterns (.dockerignore syntax) the defaults leave out.</summary>
    public IList<string> DefaultPythonItemExcludes { get; init; } = [];
}

/// <summary>One file (or folder, its path ending in '/') met while choosing the content, in or out, and why.</summary>
public sealed record ContentDecision(string AppPath, string SourcePath, bool In, string Reason, long Size);

/// <summary>The files that go in (as inputs of the app model), every decision, and warnings about files left out.</summary>
public sealed record ContentSelection(IReadOnlyList<InputFile> Files, IReadOnlyList<ContentDecision> Decisions, IReadOnlyList<(string Code, string Message)> Warnings)
{
    public int Count => Decisions.Count(d => d.In);

    public long TotalSize => Decisions.Where(d => d.In).Sum(d => d.Size);
}
