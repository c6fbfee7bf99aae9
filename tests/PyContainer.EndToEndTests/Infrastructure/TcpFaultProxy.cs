using System.Net;
using System.Net.Sockets;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>What the proxy does to each connection.</summary>
public enum FaultMode
{
    /// <summary>Forward both ways untouched.</summary>
    Forward,

    /// <summary>Forward, holding each chunk back by <see cref="TcpFaultProxy.Delay"/>.</summary>
    Delay,

    /// <summary>Forward until the client has sent <see cref="TcpFaultProxy.CutAfterBytes"/> on one connection, then reset both sides.</summary>
    CutAfterBytes,

    /// <summary>Accept and close at once: the peer sees its connection refused or reset.</summary>
    Refuse,
}

/// <summary>
/// A loopback proxy for fault injection: listens on 127.0.0.1 (TCP) or a unix socket, forwards to a TCP or
/// unix-socket target, and delays, cuts or refuses connections. Counts what it did, so a test can prove the fault
/// actually happened rather than passing on some other failure.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly string? _socketPath;
    private int _connections;
    private int _cuts;

    private TcpFaultProxy(Socket listener, EndPoint target, FaultMode mode, string? socketPath)
    {
        _listener = listener;
        _target = target;
        _socketPath = socketPath;
        Mode = mode;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public FaultMode Mode { get; set; }

    public long CutAfterBytes { get; set; } = 64 * 1024;

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The TCP port (TCP listeners only).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The unix socket path (unix listeners only).</summary>
    public string SocketPath => _socketPath ?? throw new InvalidOperationException("Not a unix-socket proxy.");

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections the proxy cut (<see cref="FaultMode.CutAfterBytes"/>) or refused.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>A proxy on a free loopback port forwarding to <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public static TcpFaultProxy ForTcp(string targetHost, int targetPort, FaultMode mode)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        IPAddress address = IPAddress.TryParse(targetHost, out IPAddress? parsed) ? parsed : Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        return new TcpFaultProxy(listener, new IPEndPoint(address, targetPort), mode, null);
    }

    /// <summary>A proxy on a new unix socket in /tmp forwarding to the unix socket <paramref name="targetPath"/>.</summary>
    public static TcpFaultProxy ForUnixSocket(string targetPath, FaultMode mode)
    {
        string path = Path.Combine(Path.GetTempPath(), "pycontainer-fault-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        return new TcpFaultProxy(listener, new UnixDomainSocketEndPoint(targetPath), mode, path);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(Socket client)
    {
        using (client)
        {
            if (Mode == FaultMode.Refuse)
            {
                Interlocked.Increment(ref _cuts);
                client.LingerState = new LingerOption(true, 0); // RST, not a polite FIN
                return;
            }

            using var upstream = new Socket(_target.AddressFamily, SocketType.Stream, _target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return;
            }

            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            Task up = PumpAsync(client, upstream, countsTowardsCut: true, connection);
            Task down = PumpAsync(upstream, client, countsTowardsCut: false, connection);
            await Task.WhenAny(up, down);
            await connection.CancelAsync();
            try
            {
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // One side ended or was cut: the other is done too.
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool countsTowardsCut, CancellationTokenSource connection)
    {
        var buffer = new byte[16 * 1024];
        long sent = 0;
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, connection.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (Mode == FaultMode.Delay)
                {
                    await Task.Delay(Delay, connection.Token);
                }

                if (countsTowardsCut && Mode == FaultMode.CutAfterBytes && sent + read > CutAfterBytes)
                {
                    // Forward up to the limit, then reset both sides mid-stream.
                    int allowed = (int)Math.Max(0, CutAfterBytes - sent);
                    await to.SendAsync(buffer.AsMemory(0, allowed), SocketFlags.None, connection.Token);
                    Interlocked.Increment(ref _cuts);
                    from.LingerState = new LingerOption(true, 0);
                    to.LingerState = new LingerOption(true, 0);
                    from.Close();
                    to.Close();
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, connection.Token);
                sent += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The other direction ended or the proxy stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
    }
}
