using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PyContainer.SdkTests;

/// <summary>
/// docs/reference.md against the SDK itself: every public property, item and target the props and targets
/// files define or consume, and every error code of the catalogue, has a row; no row names one that is gone.
/// </summary>
public sealed partial class DocsDriftTests
{
    internal static readonly string RepoRoot = FindRepoRoot();

    /// <summary>MSBuild's and the .NET SDK's own names: documented by Microsoft, not by us.</summary>
    private static readonly HashSet<string> PlatformNames = new(StringComparer.Ordinal)
    {
        "BaseIntermediateOutputPath", "BaseOutputPath", "DefaultItemExcludes", "DefaultProjectTypeGuid", "DesignTimeBuild",
        "FileWrites", "IntermediateOutputPath", "NoWarn", "ProjectReference", "TargetFramework", "TargetFrameworks",
        "UseArtifactsOutput",
    };

    private static readonly string[] SdkFiles =
    [
        "sdk/PyContainer.Sdk/Sdk/Sdk.props",
        "sdk/PyContainer.Sdk/Sdk/Sdk.targets",
        "sdk/PyContainer.Sdk/build/PyContainer.Sdk.props",
        "sdk/PyContainer.Sdk/build/PyContainer.Sdk.targets",
    ];

    [GeneratedRegex(@"\$\(([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex PropertyReference();

    [GeneratedRegex(@"@\(([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex ItemReference();

    [GeneratedRegex(@"\bPYC[0-9]{4}\b")]
    private static partial Regex ErrorCode();

    // A table row whose first cell is a name in backticks: | `ContainerRegistry` | ... |
    [GeneratedRegex(@"^\|\s*`([^`]+)`\s*\|(.*)$")]
    private static partial Regex NameRow();

    [Fact]
    public void Reference_documents_exactly_the_properties_of_the_targets_files() =>
        AssertSameNames("Properties", SdkSurface().Properties);

    [Fact]
    public void Reference_documents_exactly_the_items_of_the_targets_files() =>
        AssertSameNames("Items", SdkSurface().Items);

    [Fact]
    public void Reference_documents_exactly_the_public_targets() =>
        AssertSameNames("Targets", SdkSurface().Targets);

    [Fact]
    public void Reference_documents_exactly_the_error_codes_of_the_catalogue()
    {
        string errors = File.ReadAllText(Path.Combine(RepoRoot, "src/PyContainer.Core/Diagnostics/Errors.cs"));
        var resx = XDocument.Load(Path.Combine(RepoRoot, "src/PyContainer.Core/Diagnostics/Messages.resx"));
        var codes = ErrorCode().Matches(errors).Select(m => m.Value)
            .Concat(resx.Root!.Elements("data").Select(d => (string)d.Attribute("name")!).Where(n => ErrorCode().IsMatch(n)))
            .ToHashSet(StringComparer.Ordinal);

        AssertSameNames("Error codes", codes);
    }

    [Fact]
    public void Reference_states_each_constant_default_the_targets_set()
    {
        // <Name Condition="'$(Name)' == ''">value</Name> in the defaults group, values that name no other property.
        var defaults = SdkFileElements()
            .Where(e => (string?)e.Parent?.Attribute("Label") == "PyContainer defaults"
                && (string?)e.Attribute("Condition") == $"'$({e.Name.LocalName})' == ''"
                && !e.Value.Contains("$(", StringComparison.Ordinal))
            .ToList();
        var rows = ReferenceRows().Where(r => r.Section == "Properties").ToDictionary(r => r.Name, r => r.Cells);

        Assert.NotEmpty(defaults);
        var wrong = defaults
            .Where(d => !rows.TryGetValue(d.Name.LocalName, out string[]? cells) || !cells[0].Contains($"`{d.Value}`", StringComparison.Ordinal))
            .Select(d => $"{d.Name.LocalName} (the targets set `{d.Value}`)")
            .ToList();
        Assert.True(wrong.Count == 0, "docs/reference.md's Default column disagrees with the targets: " + string.Join(", ", wrong));
    }

    [Fact]
    public void Every_reference_row_says_what_the_name_means()
    {
        var empty = ReferenceRows().Where(r => r.Cells.Length == 0).Select(r => r.Name).ToList();

        Assert.True(empty.Count == 0, "Rows without a meaning in docs/reference.md: " + string.Join(", ", empty));
    }

    [Fact]
    public void Docs_link_only_to_files_that_exist()
    {
        string docs = Path.Combine(RepoRoot, "docs");
        var broken = new List<string>();
        foreach (string page in Directory.GetFiles(docs, "*.md"))
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(page)))
            {
                string target = link.Groups[1].Value.Split('#')[0];
                if (target.Length > 0 && !target.Contains("://", StringComparison.Ordinal)
                    && !File.Exists(Path.Combine(docs, target)) && !Directory.Exists(Path.Combine(docs, target)))
                {
                    broken.Add($"{Path.GetFileName(page)} -> {target}");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken links: " + string.Join(", ", broken));
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    private static void AssertSameNames(string section, IReadOnlySet<string> actual)
    {
        var documented = ReferenceRows().Where(r => r.Section == section).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var missing = actual.Except(documented).Order(StringComparer.Ordinal).ToList();
        var stale = documented.Except(actual).Order(StringComparer.Ordinal).ToList();

        Assert.True(
            missing.Count == 0 && stale.Count == 0,
            $"docs/reference.md, section '{section}': missing rows for [{string.Join(", ", missing)}]; rows for names that no longer exist: [{string.Join(", ", stale)}].");
    }

    /// <summary>The rows of reference.md's tables, each under the level-2 heading it belongs to.</summary>
    private static List<(string Section, string Name, string[] Cells)> ReferenceRows()
    {
        var rows = new List<(string, string, string[])>();
        string section = "";
        foreach (string line in File.ReadLines(Path.Combine(RepoRoot, "docs", "reference.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }
            else if (NameRow().Match(line) is { Success: true } row)
            {
                rows.Add((section, row.Groups[1].Value, row.Groups[2].Value.Split('|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray()));
            }
        }

        return rows;
    }

    /// <summary>Every element of the SDK's props and targets files.</summary>
    internal static IEnumerable<XElement> SdkFileElements() =>
        SdkFiles.SelectMany(file => XDocument.Load(Path.Combine(RepoRoot, file)).Root!.Descendants());

    /// <summary>
    /// The public names of the SDK: properties and items its groups define, every $(X) and @(X) it reads, the
    /// outputs its tasks produce, and its targets; `_`-prefixed names are private and MSBuild's own are not ours.
    /// </summary>
    private static (HashSet<string> Properties, HashSet<string> Items, HashSet<string> Targets) SdkSurface()
    {
        var properties = new HashSet<string>(StringComparer.Ordinal);
        var items = new HashSet<string>(StringComparer.Ordinal);
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in SdkFiles)
        {
            XElement project = XDocument.Load(Path.Combine(RepoRoot, file)).Root!;
            foreach (XElement element in project.Descendants())
            {
                string? parent = element.Parent?.Name.LocalName;
                if (parent == "PropertyGroup")
                {
                    properties.Add(element.Name.LocalName);
                }
                else if (parent == "ItemGroup")
                {
                    items.Add(element.Name.LocalName);
                }
                else if (element.Name.LocalName == "Target")
                {
                    targets.Add((string)element.Attribute("Name")!);
                }
                else if (element.Name.LocalName == "Output")
                {
                    AddIfNotNull(properties, (string?)element.Attribute("PropertyName"));
                    AddIfNotNull(items, (string?)element.Attribute("ItemName"));
                }
            }

            // Attribute values and element text, not comments: a comment may mention a name it does not use.
            string code = string.Join('\n', project.DescendantsAndSelf().SelectMany(e =>
                e.Attributes().Select(a => a.Value).Concat(e.Nodes().OfType<XText>().Select(t => t.Value))));
            properties.UnionWith(PropertyReference().Matches(code).Select(m => m.Groups[1].Value));
            items.UnionWith(ItemReference().Matches(code).Select(m => m.Groups[1].Value));
        }

        foreach (HashSet<string> names in new[] { properties, items, targets })
        {
            names.RemoveWhere(n => n.StartsWith('_') || n.StartsWith("MSBuild", StringComparison.Ordinal) || PlatformNames.Contains(n));
        }

        return (properties, items, targets);
    }

    private static void AddIfNotNull(HashSet<string> names, string? name)
    {
        if (name is not null)
        {
            names.Add(name);
        }
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PyContainer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PyContainer.sln not found above " + AppContext.BaseDirectory);
    }
}
