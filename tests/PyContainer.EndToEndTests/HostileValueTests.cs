using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>Values that would change a hand-written Dockerfile reach the image config literally, built by the real engine.</summary>
public sealed class HostileValueTests
{
    private static readonly string[] HostileValues = ["$(id)", "${HOME}", "a\"b", "back\\slash", "`id`", "x && RUN rm -rf /", "'single' \"double\""];

    [Fact]
    public async Task Environment_and_label_values_reach_the_image_config_literally()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string items = string.Concat(HostileValues.Select((value, i) =>
            $"""<ContainerEnvironmentVariable Include="HOSTILE_{i}" Value="{Escape(value)}" /><ContainerLabel Include="com.example.hostile{i}" Value="{Escape(value)}" />"""));
        string project = File.ReadAllText(sample.ProjectFile).Replace("</Project>", $"<ItemGroup>{items}</ItemGroup></Project>", StringComparison.Ordinal);
        File.WriteAllText(sample.ProjectFile, project);
        string tag = "hostile-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"samples/flask-hello:{tag}";
        try
        {
            (await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag)).ShouldSucceed("ContainerBuild with hostile values");

            ProcessResult inspect = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{json .Config}}", image);
            inspect.ShouldSucceed("docker image inspect");
            using JsonDocument config = JsonDocument.Parse(inspect.Output);
            var environment = config.RootElement.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToList();
            JsonElement labels = config.RootElement.GetProperty("Labels");
            for (int i = 0; i < HostileValues.Length; i++)
            {
                Assert.Contains($"HOSTILE_{i}={HostileValues[i]}", environment);
                Assert.Equal(HostileValues[i], labels.GetProperty($"com.example.hostile{i}").GetString());
            }
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>MSBuild's escaping of its special characters (%XX), then XML attribute escaping.</summary>
    private static string Escape(string value) => System.Security.SecurityElement.Escape(value
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace("$", "%24", StringComparison.Ordinal)
        .Replace("@", "%40", StringComparison.Ordinal)
        .Replace(";", "%3B", StringComparison.Ordinal)
        .Replace("'", "%27", StringComparison.Ordinal));
}
