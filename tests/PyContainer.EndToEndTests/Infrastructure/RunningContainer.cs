using System.Net;
using System.Net.Sockets;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// A container of the image under test on the host network (no bridge exists here), listening on a free
/// loopback port given through PORT; removed on dispose.
/// </summary>
public sealed class RunningContainer : IAsyncDisposable
{
    private RunningContainer(string id, int port)
    {
        Id = id;
        Port = port;
    }

    public string Id { get; }

    public int Port { get; }

    public static async Task<RunningContainer> StartAsync(string image, params string[] extraArguments)
    {
        int port = FreePort();
        var arguments = new List<string> { "run", "-d", "--network", "host", "-e", $"PORT={port}" };
        arguments.AddRange(extraArguments);
        arguments.Add(image);
        ProcessResult result = await ProcessRunner.RunAsync("docker", arguments, timeout: TimeSpan.FromMinutes(3));
        result.ShouldSucceed("docker run " + image);
        return new RunningContainer(result.Output.Trim().Split('\n').Last().Trim(), port);
    }

    /// <summary>
    /// GET <paramref name="path"/>, retrying while the server starts (bounded: 60 tries, 0.5 s apart), and failing
    /// at once with the container's log when the container has stopped.
    /// </summary>
    public Task<string> GetAsync(string path) => GetWhenServingAsync(Port, path, 60, async () =>
    {
        ProcessResult state = await ProcessRunner.DockerAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", Id);
        return state.Output.StartsWith("running", StringComparison.Ordinal)
            ? null
            : $"The container stopped ({state.Output.Trim()}) before answering GET {path}.\nContainer log:\n{await LogAsync()}";
    }, async () => $"Container log:\n{await LogAsync()}");

    /// <summary>
    /// GET <paramref name="path"/> on a loopback port until it answers 200 (<paramref name="attempts"/> tries, 0.5 s
    /// apart). <paramref name="stopped"/> says why to give up at once (null: keep trying); <paramref name="diagnostics"/>
    /// is added to the failure when the tries run out.
    /// </summary>
    public static async Task<string> GetWhenServingAsync(int port, string path, int attempts, Func<Task<string?>> stopped, Func<Task<string>> diagnostics)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string last = "";
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
                string body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"GET {path} answered {(int)response.StatusCode}: {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            if (await stopped() is { } reason)
            {
                throw new Xunit.Sdk.XunitException(reason);
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"Nothing answered GET {path} on port {port}: {last}\n{await diagnostics()}");
    }

    public async Task<string> LogAsync() => (await ProcessRunner.DockerAsync("logs", Id)).Output;

    /// <summary>
    /// When the container first logged a line holding <paramref name="text"/>, as the engine's fixed-width timestamp
    /// (ordinal order is time order). The order of lines in <see cref="LogAsync"/> is not: stdout and stderr reach the
    /// test through two pipes.
    /// </summary>
    public async Task<string> LoggedAtAsync(string text)
    {
        string log = (await ProcessRunner.DockerAsync("logs", "--timestamps", Id)).Output;
        string? line = log.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
        return line?.Split(' ', 2)[0] ?? throw new Xunit.Sdk.XunitException($"The container never logged '{text}':\n{log}");
    }

    /// <summary>Removes the container and its anonymous volumes (an image's VOLUME folders), which would pile up otherwise.</summary>
    public async ValueTask DisposeAsync() => await ProcessRunner.DockerAsync("rm", "-f", "-v", Id);

    /// <summary>A loopback port nothing listens on now (containers here share the host's network).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
