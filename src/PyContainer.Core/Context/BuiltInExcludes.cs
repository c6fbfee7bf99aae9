namespace PyContainer.Context;

/// <summary>
/// What never belongs in an image, whatever the project: version control, local environments, caches, build
/// output, tests, secrets, the project's own MSBuild and Docker files. Patterns use .dockerignore syntax; the
/// kind names the rule in the context list. Only an explicit PythonContent or PythonSource item adds a file back.
/// </summary>
public static class BuiltInExcludes
{
    public const string Source = "built-in exclusions";

    /// <summary>(kind, patterns): kinds in the order the context list names them.</summary>
    public static readonly IReadOnlyList<(string Kind, string[] Patterns)> Rules =
    [
        ("version control", ["**/.git", "**/.hg", "**/.svn", "**/.bzr"]),
        ("virtual environment", ["**/.venv", "**/venv", "**/env", "**/.virtualenv", "**/site-packages"]),
        ("cache", ["**/__pycache__", "**/*.pyc", "**/*.pyo", "**/.pytest_cache", "**/.mypy_cache", "**/.ruff_cache", "**/.tox", "**/.nox", "**/.hypothesis", "**/.ipynb_checkpoints", "**/.coverage", "**/.coverage.*", "**/htmlcov", "**/.cache"]),
        ("build output", ["bin", "obj", "**/*.egg-info", "**/.eggs", "**/node_modules", "**/*.binlog"]),
        ("tests", ["**/tests", "**/test"]),
        ("secret", ["**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/*.p12", "**/*.pfx", "**/id_rsa*", "**/id_dsa*", "**/id_ecdsa*", "**/id_ed25519*", "**/.netrc", "**/.pypirc", "**/.npmrc", "**/.ssh", "**/.aws", "**/.docker", "**/.gnupg"]),
        ("project file", ["**/*.msbuildproj", "**/*.csproj", "**/*.fsproj", "**/*.vbproj", "**/*.proj", "**/*.sln", "**/*.user", "**/Directory.Build.*", "**/*.rsp", "**/Directory.Packages.props", "**/[Nn]u[Gg]et.[Cc]onfig", "**/PyContainer.Before.props", "**/global.json"]),
        ("Docker file", ["**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/*.dockerfile", "**/.dockerignore", "**/docker-compose*.yml", "**/docker-compose*.yaml", "**/compose.yml", "**/compose.yaml", "**/compose.*.yml", "**/compose.*.yaml"]),
        ("editor or OS file", ["**/.idea", "**/.vscode", "**/.vs", "**/.DS_Store", "**/Thumbs.db", "**/*.swp"]),
    ];

    /// <summary>The rules as one matcher, each pattern's kind by its position.</summary>
    internal static (DockerIgnore Matcher, Dictionary<DockerIgnorePattern, string> Kinds) Create()
    {
        var patterns = Rules.SelectMany(r => r.Patterns.Select(p => (r.Kind, Pattern: p))).ToList();
        DockerIgnore matcher = DockerIgnore.FromPatterns(patterns.Select(p => p.Pattern), Source);
        var kinds = new Dictionary<DockerIgnorePattern, string>();
        for (int i = 0; i < patterns.Count; i++)
        {
            kinds[matcher.Patterns[i]] = patterns[i].Kind;
        }

        return (matcher, kinds);
    }
}
