using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests.CorpusTests;

/// <summary>Debian's python3-httpbin (Flask): Jinja templates and images shipped beside the code.</summary>
// Serial: the figures are timings (no build beside them), and IncrementalBuildTests counts the image tags its engine sees.
[Collection(SerialImageBuilds.Name)]
public sealed class HttpbinCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Httpbin_is_published_and_serves_its_templates_and_images()
    {
        using CorpusApp app = CorpusApp.Create("httpbin", output);
        await using RunningContainer container = await app.PublishMeasureAndStartAsync("httpbin/helpers.py", "/");
        await AssertServesItsTemplatesAndImagesAsync(container);
    }

    /// <summary>What httpbin serves when every file it needs went in (the daemonless tests ask the same).</summary>
    internal static async Task AssertServesItsTemplatesAndImagesAsync(RunningContainer container)
    {
        // render_template('index.html') and ('moby.html'): the templates folder went in by default.
        Assert.Contains("httpbin", await CorpusApp.GetTextAsync(container, "/"), StringComparison.Ordinal);
        Assert.Contains("Herman Melville", await CorpusApp.GetTextAsync(container, "/html"), StringComparison.Ordinal);
        // A file read from the package folder at request time (templates/images/pig_icon.png).
        byte[] png = await CorpusApp.GetOkAsync(container, "/image/png", "image/png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // The app itself answers JSON through the Flask routes.
        Assert.Contains("\"user-agent\"", await CorpusApp.GetTextAsync(container, "/user-agent", "application/json"), StringComparison.Ordinal);
    }
}
