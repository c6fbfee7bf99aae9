using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>The checks every failure test makes: which codes the build reported, no tag left, no user file changed.</summary>
public static partial class BuildChecks
{
    /// <summary>
    /// Any MSBuild-style coded error, whoever logs it (PYC, MSB, NU, CS, NETSDK, ...): "error CODE:" where CODE is
    /// capital letters then digits. The colon keeps prose in a step log ("error 404") from counting.
    /// </summary>
    [GeneratedRegex(@"\berror ([A-Z][A-Z0-9]*[0-9]{3,}):")]
    private static partial Regex ErrorCode();

    /// <summary>The distinct error codes of a build, each once (the console summary repeats them).</summary>
    public static List<string> Errors(ProcessResult result) =>
        ErrorCode().Matches(result.Output).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>The first output line with error <paramref name="code"/>.</summary>
    public static string ErrorLine(ProcessResult result, string code) =>
        result.Output.Split('\n').First(l => l.Contains("error " + code, StringComparison.Ordinal));

    /// <summary>After a failed publish to the test registry: nothing reported as pushed, no local tag, no manifest in the registry.</summary>
    public static async Task AssertNothingPublishedAsync(ProcessResult result, string repository, string tag)
    {
        Assert.DoesNotContain("Pushed ", result.Output, StringComparison.Ordinal);
        await AssertNoImageAsync($"{TestEnvironment.Registry}/{repository}:{tag}");
        Assert.False(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, repository, tag), $"a manifest of {repository}:{tag} reached the registry");
    }

    public static async Task AssertNoImageAsync(string image)
    {
        ProcessResult inspect = await ProcessRunner.DockerAsync("image", "inspect", image);
        Assert.NotEqual(0, inspect.ExitCode);
    }

    /// <summary>A digest of every file the user owns in the project folder (bin/ and obj/ are the build's).</summary>
    public static string HashOfUserFiles(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(directory, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal))
            {
                continue;
            }

            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(relative));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
