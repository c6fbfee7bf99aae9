using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests.CorpusTests;

/// <summary>
/// Debian's python3-klaus (Flask git web viewer): templates, static files, repositories in a writable volume seeded
/// by a startup step, and git as an OS runtime package (klaus runs `git log` for a repository's history).
/// klaus writes no state of its own from a request: the startup step's repository is the state checked.
/// </summary>
// Serial: the figures are timings (no build beside them), and IncrementalBuildTests counts the image tags its engine sees.
[Collection(SerialImageBuilds.Name)]
public sealed class KlausCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Klaus_is_published_and_browses_the_repository_its_startup_step_made()
    {
        using CorpusApp app = CorpusApp.Create("klaus", output);
        await using RunningContainer container = await app.PublishMeasureAndStartAsync("klaus/utils.py", "/");

        string list = await CorpusApp.GetTextAsync(container, "/");
        Assert.Contains("klaus in a container", list, StringComparison.Ordinal); // KLAUS_SITE_NAME
        Assert.Contains("href=\"/demo/\"", list, StringComparison.Ordinal);
        Assert.Contains("Add a README", await CorpusApp.GetTextAsync(container, "/demo/"), StringComparison.Ordinal); // history: git log
        Assert.Contains("Served by klaus", await CorpusApp.GetTextAsync(container, "/demo/blob/master/README.md"), StringComparison.Ordinal);
        Assert.Contains("{", await CorpusApp.GetTextAsync(container, "/static/klaus.css", "text/css"), StringComparison.Ordinal);
        Assert.Contains("seed-repository", await container.LogAsync(), StringComparison.Ordinal);
    }
}
