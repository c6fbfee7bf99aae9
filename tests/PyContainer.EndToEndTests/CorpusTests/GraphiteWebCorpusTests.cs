using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests.CorpusTests;

/// <summary>
/// Debian's graphite-web (Django): templates, hundreds of static files collected at build time, migrations run as a
/// startup step into SQLite in a writable volume, and cairo as an OS runtime library for its PNG graphs.
/// </summary>
// Serial: the figures are timings (no build beside them), and IncrementalBuildTests counts the image tags its engine sees.
[Collection(SerialImageBuilds.Name)]
public sealed class GraphiteWebCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Graphite_web_is_published_renders_a_graph_and_saves_a_dashboard()
    {
        using CorpusApp app = CorpusApp.Create("graphite-web", output);
        await using RunningContainer container = await app.PublishMeasureAndStartAsync("graphite/util.py", "/");

        Assert.Contains("<title>Graphite Browser</title>", await CorpusApp.GetTextAsync(container, "/"), StringComparison.Ordinal);
        Assert.Contains("Graphite Dashboard", await CorpusApp.GetTextAsync(container, "/dashboard/"), StringComparison.Ordinal);
        // From content/ (collectstatic at build time, served by WhiteNoise), and Django's own admin files.
        Assert.Contains("Composer", await CorpusApp.GetTextAsync(container, "/static/js/composer.js", "text/javascript"), StringComparison.Ordinal);
        await CorpusApp.GetOkAsync(container, "/static/img/graphite.png", "image/png");
        await CorpusApp.GetOkAsync(container, "/static/admin/css/base.css", "text/css");
        // cairo (libcairo2, an OS runtime package) draws the PNG.
        byte[] graph = await CorpusApp.GetOkAsync(container, "/render?target=sinFunction(%27corpus%27)&from=-1h&format=png", "image/png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], graph[..4]);

        // Saving a dashboard writes graphite.db in the volume; loading it reads it back.
        const string state = """{"name": "corpus", "graphs": []}""";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state });
        using HttpResponseMessage save = await CorpusApp.SendAsync(container, HttpMethod.Post, "/dashboard/save/corpus", form);
        string saved = await save.Content.ReadAsStringAsync();
        Assert.True(saved.Contains("\"success\": true", StringComparison.Ordinal), $"POST /dashboard/save/corpus answered {(int)save.StatusCode}: {saved}\n{await container.LogAsync()}");
        using JsonDocument loaded = JsonDocument.Parse(await CorpusApp.GetTextAsync(container, "/dashboard/load/corpus", "application/json"));
        Assert.Equal("corpus", loaded.RootElement.GetProperty("state").GetProperty("name").GetString());
    }
}
