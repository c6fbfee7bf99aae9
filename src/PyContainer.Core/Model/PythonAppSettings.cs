namespace PyContainer.Model;

/// <summary>
/// The app as the project states it: raw strings from properties and items, not yet validated.
/// <see cref="PythonApp.Create"/> turns it into the validated model or fails with a coded error.
/// </summary>
public sealed class PythonAppSettings
{
    public required string ProjectDirectory { get; init; }

    public required string ProjectName { get; init; }

    /// <summary>Python sources and content files; <see cref="InputFile.ItemType"/> names the item in errors.</summary>
    public IList<InputFile> Files { get; init; } = [];

    public IList<string> RequirementsFiles { get; init; } = [];

    public IList<string> Requirements { get; init; } = [];

    public string? PythonVersion { get; init; }

    public string? BaseImage { get; init; }

    public string? BuilderImage { get; init; }

    public string? WsgiApp { get; init; }

    public string? Script { get; init; }

    public string? Module { get; init; }

    public IList<string> AppCommand { get; init; } = [];

    public IList<NamedValue> Ports { get; init; } = [];

    public IList<NamedValue> EnvironmentVariables { get; init; } = [];

    public IList<NamedValue> Labels { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDirectory { get; init; }

    public IList<string> BuildPackages { get; init; } = [];

    public IList<string> RuntimePackages { get; init; } = [];

    public string? PackageIndexUrl { get; init; }

    public string? ExtraPackageIndexUrl { get; init; }

    public string? Generator { get; init; }
}

/// <summary>An input file: <paramref name="Link"/> overrides its path inside the app, as in .NET projects.</summary>
public sealed record InputFile(string ItemType, string Path, string? Link = null);

/// <summary>An item with one value: ContainerEnvironmentVariable Value, ContainerLabel Value, ContainerPort Type.</summary>
public sealed record NamedValue(string Name, string Value);
