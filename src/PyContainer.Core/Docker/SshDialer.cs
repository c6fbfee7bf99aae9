using System.Diagnostics;
using System.Net.Http;

namespace PyContainer.Docker;

/// <summary>
/// Opens Engine API connections over ssh as the docker CLI's connection helper does: every HTTP connection is one
/// `ssh ... docker system dial-stdio` process whose stdin and stdout carry the bytes. Closing a connection (the
/// request cancelled, the client disposed) kills its ssh, which drops the remote engine's connection, and the
/// engine stops what that request started (a build). ssh's stderr is kept, so a failure says ssh's own words.
/// </summary>
internal sealed class SshDialer
{
    private readonly SshEngineAddress _address;
    private string? _lastFailure;

    public SshDialer(SshEngineAddress address) => _address = address;

    /// <summary>The last stderr line of an ssh that exited with an error (auth refused, host key unknown, ...), or null.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>For SocketsHttpHandler.ConnectCallback: the address of the request is ignored (ssh decides).</summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in _address.SshArguments())
        {
            start.ArgumentList.Add(argument);
        }

        // No terminal to prompt on, whatever BatchMode does: ssh must fail, never wait (SSH_ASKPASS would open a window).
        start.Environment.Remove("SSH_ASKPASS");
        start.Environment["SSH_ASKPASS_REQUIRE"] = "never";
        var process = new Process { StartInfo = start };
        var stderr = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (stderr)
                {
                    stderr.Add(line);
                }
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            Volatile.Write(ref _lastFailure, $"ssh could not be started ({e.Message}); install the OpenSSH client");
            throw new HttpRequestException(_lastFailure, e);
        }

        process.BeginErrorReadLine();
        return ValueTask.FromResult<Stream>(new SshProcessStream(process, () => RecordExit(process, stderr)));
    }

    /// <summary>Called when ssh's stdout ends: an ssh that exited with an error leaves its last stderr line.</summary>
    private void RecordExit(Process process, List<string> stderr)
    {
        if (!process.WaitForExit(TimeSpan.FromSeconds(5)) || process.ExitCode == 0)
        {
            return;
        }

        process.WaitForExit(); // drains stderr's reader
        lock (stderr)
        {
            string last = stderr.LastOrDefault(l => !l.StartsWith("Warning: Permanently added", StringComparison.Ordinal))
                ?? $"ssh exited with code {process.ExitCode} and said nothing";
            Volatile.Write(ref _lastFailure, last.Trim());
        }
    }
}
