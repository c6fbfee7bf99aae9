using System.Net;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests.CorpusTests;

/// <summary>
/// Debian's bepasty (Flask pastebin): templates, static files, a config file named by BEPASTY_CONFIG, uploads in a
/// writable volume, and JavaScript libraries from the OS packages Debian's bepasty_xstatic.py points at.
/// </summary>
// Serial: the figures are timings (no build beside them), and IncrementalBuildTests counts the image tags its engine sees.
[Collection(SerialImageBuilds.Name)]
public sealed class BepastyCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bepasty_is_published_serves_its_pages_and_stores_an_upload()
    {
        using CorpusApp app = CorpusApp.Create("bepasty", output);
        await using RunningContainer container = await app.PublishMeasureAndStartAsync("bepasty/constants.py", "/");

        Assert.Contains("bepasty in a container", await CorpusApp.GetTextAsync(container, "/"), StringComparison.Ordinal); // SITENAME from bepasty.conf
        Assert.Contains("body", await CorpusApp.GetTextAsync(container, "/static/app/css/style.css", "text/css"), StringComparison.Ordinal);
        Assert.Contains("jQuery", await CorpusApp.GetTextAsync(container, "/xstatic/jquery/jquery.min.js", "text/javascript"), StringComparison.Ordinal);

        const string text = "pasted by the corpus test";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["text"] = text, ["contenttype"] = "text/plain", ["filename"] = "corpus.txt", ["maxlife-unit"] = "days", ["maxlife-value"] = "1",
        });
        using HttpResponseMessage upload = await CorpusApp.SendAsync(container, HttpMethod.Post, "/+upload", form);
        Assert.True(upload.StatusCode == HttpStatusCode.Found, $"POST /+upload answered {(int)upload.StatusCode}:\n{await upload.Content.ReadAsStringAsync()}\n{await container.LogAsync()}");
        Uri location = upload.Headers.Location!;
        string item = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('#')[0];

        Assert.Equal(text, await CorpusApp.GetTextAsync(container, item + "/+download", "text/plain"));
        Assert.Contains(text, await CorpusApp.GetTextAsync(container, item), StringComparison.Ordinal);
    }
}
