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

    /// <summary>GET <paramref name="path"/>, retrying while the server starts (bounded: 60 tries, 0.5 s apart).</summary>
    public async Task<string> GetAsync(string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Exception? last = null;
        for (int attempt = 0; attempt < 60; attempt++)
        {
            try
            {
                HttpResponseMessage response = await client.GetAsync(new Uri($"http://127.0.0.1:{Port}{path}"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync();
                }

                last = new HttpRequestException($"GET {path} answered {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }

            await Task.Delay(500);
        }

        ProcessResult logs = await ProcessRunner.DockerAsync("logs", Id);
        throw new Xunit.Sdk.XunitException($"The container did not answer GET {path}: {last?.Message}\nContainer log:\n{logs.Output}");
    }

    public async ValueTask DisposeAsync() => await ProcessRunner.DockerAsync("rm", "-f", Id);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
