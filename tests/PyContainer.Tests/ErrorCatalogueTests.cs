using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;

namespace PyContainer.Tests;

public sealed partial class ErrorCatalogueTests
{
    private static readonly List<(string Name, string Code)> Constants = typeof(Errors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
        .ToList();

    private static Dictionary<string, string> Messages()
    {
        var manager = new ResourceManager("PyContainer.Diagnostics.Messages", typeof(Errors).Assembly);
        ResourceSet set = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)
            ?? throw new InvalidOperationException("The Messages resources are missing.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    public static TheoryData<string> Codes() => [.. Constants.Select(c => c.Code)];

    [GeneratedRegex(@"^PYC[1-4][0-9]{3}\z")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex Placeholder();

    [Fact]
    public void Catalogue_is_not_empty()
    {
        Assert.True(Constants.Count >= 20, $"Only {Constants.Count} codes found by reflection.");
    }

    [Fact]
    public void Codes_are_unique()
    {
        var duplicates = Constants.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Name))}");

        Assert.Empty(duplicates);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Code_is_well_formed_and_has_a_message_that_formats(string code)
    {
        Assert.Matches(CodePattern(), code);
        Assert.True(Messages().TryGetValue(code, out string? format), $"Messages.resx has no entry {code}.");
        int placeholders = Placeholder().Matches(format).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
        object?[] args = Enumerable.Range(0, placeholders).Select(i => (object?)$"<arg{i}>").ToArray();

        PyContainerException e = Errors.Create(code, args);

        Assert.Equal(code, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain("{", e.Message, StringComparison.Ordinal);
        // Every argument is used: a placeholder number skipped in the text is a mistake in the text.
        Assert.All(args, a => Assert.Contains((string)a!, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_with_spare_arguments_does_not_throw()
    {
        object?[] args = Enumerable.Range(0, 10).Select(i => (object?)$"arg{i}").ToArray();

        Assert.All(Constants, c => Assert.False(string.IsNullOrWhiteSpace(Errors.Create(c.Code, args).Message)));
    }

    [Fact]
    public void Create_keeps_the_inner_exception()
    {
        var inner = new IOException("broken pipe");

        PyContainerException e = Errors.Create(Errors.BuildFailed, inner, "the connection broke");

        Assert.Same(inner, e.InnerException);
        Assert.Contains("the connection broke", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_message_belongs_to_a_code()
    {
        var codes = Constants.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

        Assert.All(Messages().Keys, key => Assert.True(codes.Contains(key), $"Messages.resx entry {key} has no constant in Errors."));
    }

    [Fact]
    public void Unknown_code_is_a_bug_not_a_diagnostic()
    {
        Assert.Throws<InvalidOperationException>(() => Errors.Create("PYC9999"));
    }
}
