using System.Net;
using System.Net.Sockets;
using System.Text;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// A package index behind basic auth, with the password given only in the environment of `dotnet build`, and a
/// `.env` file with a secret in the project folder: the build installs through the index, and neither the final image
/// (config, history, every layer's files) nor the diagnostic MSBuild log holds the password or the `.env` secret,
/// which never enters the build context.
/// </summary>
public sealed class PrivateIndexTests
{
    [Fact]
    public async Task Index_password_from_the_environment_reaches_the_builder_only_and_a_dotenv_file_nothing()
    {
        string password = "pw-" + Guid.NewGuid().ToString("N");
        const string user = "pycontainer-index";
        using var index = new BasicAuthIndexProxy(user, password);
        using var sample = SampleProject.CopyOf("flask-hello");
        string dotenvSecret = "dotenv-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(sample.Directory, ".env"), $"API_TOKEN={dotenvSecret}\n");
        string diagnosticLog = Path.Combine(sample.Directory, "..", "private-index-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        File.WriteAllText(Path.Combine(sample.Directory, "Directory.Build.rsp"), $"-flp:logfile={diagnosticLog};verbosity=diagnostic\n");
        string tag = "private-index-" + Guid.NewGuid().ToString("N")[..8];
        string image = "samples/flask-hello:" + tag;

        try
        {
            ProcessResult result = await sample.BuildAsync(
                "ContainerBuild",
                new Dictionary<string, string>
                {
                    ["PYCONTAINER_PIP_INDEX_USERNAME"] = user,
                    ["PYCONTAINER_PIP_INDEX_PASSWORD"] = password,
                },
                "ContainerImageTag=" + tag,
                // An image unlike any other test's, so no other test's `docker image rm` can delete it while it is tagged.
                "ContainerTitle=" + tag,
                $"PythonPackageIndexUrl={index.Url}");

            result.ShouldSucceed("ContainerBuild through the private index");
            Assert.True(index.AuthorizedRequests > 0, "pip never asked the private index with the credentials.");
            string[] secrets = [password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")), dotenvSecret];
            string diagnostic = File.ReadAllText(diagnosticLog);
            Assert.Contains("Environment at start of build", diagnostic, StringComparison.Ordinal);
            Assert.Empty(SecretScanner.Find(result.Output + diagnostic, secrets));
            Assert.Empty(await SecretScanner.ScanImageAsync(image, secrets));
            // The context manifest lists every entry sent to the engine with its source file: none is the .env file.
            string manifest = Directory.GetFiles(Path.Combine(sample.Directory, "obj"), "context.tsv", SearchOption.AllDirectories).Single();
            string[] entries = File.ReadAllLines(manifest);
            Assert.Contains(entries, line => line.StartsWith("in\tapp/app.py\t", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, line => line.StartsWith("in\t", StringComparison.Ordinal) && line.Split('\t').Any(path => Path.GetFileName(path) == ".env"));
            Assert.Contains(entries, line => line.StartsWith("out\tapp/.env\t", StringComparison.Ordinal));
            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Equal("Hello from Flask, containerized by PyContainer!\n", await container.GetAsync("/"));
        }
        finally
        {
            File.Delete(diagnosticLog);
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>
    /// A loopback proxy in front of the test environment's package index (or PyPI) that answers 401 unless the
    /// request carries the expected basic credentials.
    /// </summary>
    private sealed class BasicAuthIndexProxy : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HttpClient _upstream = new();
        private readonly string _expected;
        private readonly Uri _upstreamRoot;
        private int _authorized;

        public BasicAuthIndexProxy(string user, string password)
        {
            _expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            var upstream = new Uri(TestEnvironment.PackageIndexUrl.Length > 0 ? TestEnvironment.PackageIndexUrl : "https://pypi.org/simple/");
            _upstreamRoot = new Uri(upstream.GetLeftPart(UriPartial.Authority));
            int port = FreePort();
            Url = $"http://127.0.0.1:{port}{upstream.AbsolutePath}";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = ServeAsync();
        }

        /// <summary>The index URL without credentials: what goes into the PythonPackageIndexUrl property.</summary>
        public string Url { get; }

        public int AuthorizedRequests => Volatile.Read(ref _authorized);

        public void Dispose()
        {
            _listener.Close();
            _upstream.Dispose();
        }

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    HttpListenerContext context = await _listener.GetContextAsync();
                    _ = Task.Run(() => HandleAsync(context));
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                // Closed.
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            using HttpListenerResponse response = context.Response;
            try
            {
                if (context.Request.Headers["Authorization"] != _expected)
                {
                    response.StatusCode = 401;
                    response.AddHeader("WWW-Authenticate", "Basic realm=\"pycontainer-test\"");
                    return;
                }

                Interlocked.Increment(ref _authorized);
                using HttpResponseMessage answer = await _upstream.GetAsync(new Uri(_upstreamRoot, context.Request.RawUrl));
                response.StatusCode = (int)answer.StatusCode;
                response.ContentType = answer.Content.Headers.ContentType?.ToString();
                await answer.Content.CopyToAsync(response.OutputStream);
            }
            catch (Exception e) when (e is HttpRequestException or HttpListenerException or IOException)
            {
                response.StatusCode = 502;
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
