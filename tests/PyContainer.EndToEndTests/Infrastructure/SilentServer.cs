using System.Net;
using System.Net.Sockets;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// A loopback HTTP "server" that accepts connections and never answers: a package index that makes pip, in a build
/// step, hang until the build is stopped; <see cref="FirstConnection"/> tells that the build reached that step.
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _connections = [];
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SilentServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task FirstConnection => _firstConnection.Task;

    /// <summary>Whether every accepted connection was closed by its client within <paramref name="timeout"/>.</summary>
    public async Task<bool> AllClosedAsync(TimeSpan timeout)
    {
        List<Socket> connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            foreach (Socket connection in connections)
            {
                var buffer = new byte[4096];
                while (await connection.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
                {
                    // The request itself; the close is a read of zero bytes.
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // reset by the peer: closed as well
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket connection = await _listener.AcceptSocketAsync();
                lock (_connections)
                {
                    _connections.Add(connection);
                }

                _firstConnection.TrySetResult();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
