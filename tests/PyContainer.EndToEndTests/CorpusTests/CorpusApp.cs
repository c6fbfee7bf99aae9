using System.Diagnostics;
using System.Globalization;
using System.Net;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests.CorpusTests;

/// <summary>
/// One app of the acceptance corpus: a real third-party web app from Debian, laid out by eng/corpus.py as its
/// users' source tree (in PYCONTAINER_CORPUS_DIR), with the project file and the files a user adds
/// (tests/PyContainer.EndToEndTests/Corpus/&lt;app&gt;) copied on top, built and pushed as a user would.
/// Measures what the closing note reports; the figures are test output, never assertions.
/// </summary>
public sealed class CorpusApp : IDisposable
{
    private readonly ITestOutputHelper output;
    private readonly SampleProject project;
    private readonly List<string> figures = [];
    private readonly List<string> imageIds = [];

    private CorpusApp(string name, SampleProject project, ITestOutputHelper output)
    {
        Name = name;
        this.project = project;
        this.output = output;
    }

    public string Name { get; }

    public string Directory => project.Directory;

    /// <summary>The project, for what a test sets on its builds (<see cref="SampleProject.Launcher"/>).</summary>
    public SampleProject Project => project;

    public string Image => $"{TestEnvironment.Registry}/corpus/{Name}:{Tag}";

    private string Tag { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The corpus tree of <paramref name="name"/> plus its committed project files, in a temporary folder.</summary>
    public static CorpusApp Create(string name, ITestOutputHelper output)
    {
        string corpus = Environment.GetEnvironmentVariable("PYCONTAINER_CORPUS_DIR") is { Length: > 0 } dir
            ? dir
            : throw new InvalidOperationException("PYCONTAINER_CORPUS_DIR is not set: run eng/test-env.sh (it lays out the corpus) and source artifacts/test-env/env.sh.");
        string tree = Path.Combine(corpus, name);
        if (!System.IO.Directory.Exists(tree))
        {
            throw new InvalidOperationException($"{tree} does not exist: eng/test-env.sh lays it out (eng/corpus.py).");
        }

        string target = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", "corpus-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        SampleProject.CopyDirectory(tree, target);
        SampleProject.CopyDirectory(Path.Combine(TestEnvironment.RepoRoot, "tests", "PyContainer.EndToEndTests", "Corpus", name), target);
        return new CorpusApp(name, SampleProject.At(target, Path.Combine(target, name + ".msbuildproj")), output);
    }

    /// <summary>
    /// The measured path of every corpus test: a cold publish, an edit of <paramref name="editedSource"/> and a warm
    /// publish, the image pulled back from the registry, then a container answering GET <paramref name="firstPath"/>.
    /// </summary>
    public async Task<RunningContainer> PublishMeasureAndStartAsync(string editedSource, string firstPath, params string[] runArguments)
    {
        Figure("cold build (first ContainerPublish of this test run)", Seconds(await PublishAsync()));
        EditSource(editedSource);
        Figure($"warm build after editing {editedSource}", Seconds(await PublishAsync()));
        await PullAsync();
        Figure("image size over base", (await SizeOverBaseAsync()).ToString("0.0", CultureInfo.InvariantCulture) + " MB");
        (RunningContainer container, TimeSpan first) = await StartAsync(firstPath, runArguments);
        Figure($"first request after docker run (GET {firstPath})", Seconds(first));
        return container;
    }

    /// <summary>`dotnet build -t:ContainerPublish` to the test registry; returns the build's wall time.</summary>
    public Task<TimeSpan> PublishAsync() => PublishAsync(new Dictionary<string, string>());

    /// <summary>As <see cref="PublishAsync()"/>, with extra environment variables and properties (the daemonless mode's).</summary>
    public async Task<TimeSpan> PublishAsync(IDictionary<string, string> environment, params string[] properties)
    {
        var clock = Stopwatch.StartNew();
        ProcessResult result = await project.BuildAsync(
            "ContainerPublish", environment, ["ContainerRegistry=" + TestEnvironment.Registry, "ContainerRepository=corpus/" + Name, "ContainerImageTag=" + Tag, .. properties]);
        clock.Stop();
        result.ShouldSucceed($"dotnet build -t:ContainerPublish of the corpus app {Name}\nDockerfile:\n{project.GeneratedDockerfile()}\nBuild");
        // The next publish moves the tag: remember each image, so none is left untagged after the test (a
        // daemonless publish puts none into the engine).
        ProcessResult id = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{.Id}}", Image);
        if (id.ExitCode == 0)
        {
            imageIds.Add(id.Output.Trim());
        }

        return clock.Elapsed;
    }

    /// <summary>A real edit of one source file (a comment line appended), as a developer's next build has.</summary>
    public void EditSource(string relativePath) =>
        File.AppendAllText(Path.Combine(Directory, relativePath), "\n# edited by the corpus test\n");

    /// <summary>Pulls the pushed image back (the local copy removed first), so what runs came from the registry.</summary>
    public async Task PullAsync()
    {
        await ProcessRunner.DockerAsync("image", "rm", Image);
        (await ProcessRunner.DockerAsync("pull", Image)).ShouldSucceed("docker pull " + Image);
    }

    /// <summary>Image size minus the base image's, in MB (10^6 bytes).</summary>
    public async Task<double> SizeOverBaseAsync() =>
        (await ImageSizeAsync(Image) - await ImageSizeAsync(TestEnvironment.BaseImage)) / 1e6;

    /// <summary>
    /// Starts the image read-only (its writable folders are volumes, /tmp a tmpfs) and waits for the first
    /// answer to GET <paramref name="path"/>; returns the container and the time from `docker run` to that answer.
    /// </summary>
    public async Task<(RunningContainer Container, TimeSpan FirstRequest)> StartAsync(string path, params string[] extraArguments)
    {
        var clock = Stopwatch.StartNew();
        RunningContainer container = await RunningContainer.StartAsync(Image, ["--read-only", "--tmpfs", "/tmp", .. extraArguments]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string last = "";
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri($"http://127.0.0.1:{container.Port}{path}"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (container, clock.Elapsed);
                }

                last = $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            ProcessResult state = await ProcessRunner.DockerAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container.Id);
            if (!state.Output.StartsWith("running", StringComparison.Ordinal))
            {
                string log = await container.LogAsync();
                await container.DisposeAsync();
                throw new Xunit.Sdk.XunitException($"The {Name} container stopped ({state.Output.Trim()}) before answering GET {path}.\nContainer log:\n{log}");
            }

            await Task.Delay(100);
        }

        string finalLog = await container.LogAsync();
        await container.DisposeAsync();
        throw new Xunit.Sdk.XunitException($"The {Name} container did not answer GET {path} within 2 minutes: {last}\nContainer log:\n{finalLog}");
    }

    /// <summary>A request to the container (redirects not followed); the caller disposes the response.</summary>
    public static async Task<HttpResponseMessage> SendAsync(RunningContainer container, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri($"http://127.0.0.1:{container.Port}{path}")) { Content = content };
        return await Client.SendAsync(request);
    }

    /// <summary>GET that must answer 200 with a Content-Type starting with <paramref name="mediaType"/>; returns the body.</summary>
    public static async Task<byte[]> GetOkAsync(RunningContainer container, string path, string mediaType)
    {
        using HttpResponseMessage response = await SendAsync(container, HttpMethod.Get, path);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        string type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (response.StatusCode != HttpStatusCode.OK || !type.StartsWith(mediaType, StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException(
                $"GET {path} answered {(int)response.StatusCode} {type}, expected 200 {mediaType}:\n{System.Text.Encoding.UTF8.GetString(body)}\nContainer log:\n{await container.LogAsync()}");
        }

        return body;
    }

    public static async Task<string> GetTextAsync(RunningContainer container, string path, string mediaType = "text/html") =>
        System.Text.Encoding.UTF8.GetString(await GetOkAsync(container, path, mediaType));

    private static HttpClient Client { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Records one figure for the closing note: a test output line, and a line in artifacts/corpus-figures/&lt;app&gt;.txt.</summary>
    public void Figure(string label, string value)
    {
        string line = $"[corpus] {Name}: {label}: {value}";
        figures.Add(line);
        output.WriteLine(line);
    }

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public void Dispose()
    {
        if (figures.Count > 0)
        {
            string folder = Path.Combine(TestEnvironment.RepoRoot, "artifacts", "corpus-figures");
            System.IO.Directory.CreateDirectory(folder);
            File.WriteAllLines(Path.Combine(folder, Name + ".txt"), [$"# {DateTime.UtcNow:u}", .. figures]);
        }

        ProcessRunner.DockerAsync("image", "rm", "-f", Image).GetAwaiter().GetResult();
        foreach (string id in imageIds.Where(id => id.StartsWith("sha256:", StringComparison.Ordinal)))
        {
            ProcessRunner.DockerAsync("image", "rm", "-f", id).GetAwaiter().GetResult();
        }

        project.Dispose();
    }

    private static async Task<long> ImageSizeAsync(string image)
    {
        ProcessResult result = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{.Size}}", image);
        result.ShouldSucceed("docker image inspect " + image);
        return long.Parse(result.Output.Trim(), CultureInfo.InvariantCulture);
    }
}
