using System.Text;
using PyContainer.Diagnostics;

namespace PyContainer.Model;

/// <summary>
/// The default ContainerRepository, derived from the project name as the .NET SDK derives its own: lower case,
/// and every run of characters a repository name cannot hold becomes one '-' ('Flaskr Blog' gives 'flaskr-blog').
/// </summary>
public static class RepositoryName
{
    private const int MaxLength = 255;

    /// <summary>The repository name for <paramref name="projectName"/>, or null when it has no ASCII letter or digit.</summary>
    public static string? FromProjectName(string projectName)
    {
        ArgumentNullException.ThrowIfNull(projectName);
        var name = new StringBuilder();
        var separator = new StringBuilder();
        foreach (char c in projectName)
        {
            char lower = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (name.Length > 0 && separator.Length > 0)
                {
                    name.Append(IsSeparator(separator.ToString()) ? separator.ToString() : "-");
                }

                separator.Clear();
                name.Append(lower);
            }
            else
            {
                separator.Append(lower);
            }
        }

        string result = name.Length > MaxLength ? name.ToString(0, MaxLength).TrimEnd('.', '_', '-') : name.ToString();
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// ContainerRegistry and ContainerRepository checked on their own, before anything is generated; an unset
    /// repository is derived from the project name (<paramref name="derived"/> says so, for the log). With
    /// <paramref name="requireRegistry"/> (publishing to a registry) an unset ContainerRegistry is PYC1019.
    /// </summary>
    public static string Resolve(string? registry, string? repository, string projectName, bool requireRegistry, out bool derived)
    {
        if (!string.IsNullOrEmpty(registry))
        {
            RegistryName.Validate(registry);
        }

        string resolved;
        if (!string.IsNullOrEmpty(repository))
        {
            ImageReference.FromParts(null, repository, null, "ContainerRepository");
            resolved = repository;
        }
        else
        {
            resolved = FromProjectName(projectName) ?? throw Errors.Create(Errors.NoRepositoryFromProjectName, projectName);
        }

        if (requireRegistry && string.IsNullOrWhiteSpace(registry))
        {
            throw Errors.Create(Errors.NoRegistry);
        }

        derived = string.IsNullOrEmpty(repository);
        return resolved;
    }

    /// <summary>The separators the distribution spec allows between name components: '.', '_', '__' or dashes.</summary>
    private static bool IsSeparator(string run) => run is "." or "_" or "__" || run.All(c => c == '-');
}
