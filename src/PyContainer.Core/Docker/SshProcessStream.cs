using System.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// One connection to the engine as an ssh process: reads are its stdout, writes its stdin (flushed at once, as
/// HTTP waits for the engine's answer to what it wrote). Disposing kills the process.
/// </summary>
internal sealed class SshProcessStream : Stream
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Stream _input;
    private readonly Action _onEnd;
    private int _ended;
    private int _disposed;

    public SshProcessStream(Process process, Action onEnd)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _input = process.StandardInput.BaseStream;
        _onEnd = onEnd;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Ended(_output.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Ended(await _output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _input.Write(buffer, offset, count);
        _input.Flush();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _input.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await _input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A broken pipe: ssh is gone; what it said is the reason.
            Ended(0);
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _input.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _input.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            _input.Dispose();
            _output.Dispose();
            _process.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Ended(int read)
    {
        // After Dispose the end is ours (ssh killed), not ssh's failure.
        if (read == 0 && Volatile.Read(ref _disposed) == 0 && Interlocked.Exchange(ref _ended, 1) == 0)
        {
            try
            {
                _onEnd();
            }
            catch (InvalidOperationException)
            {
                // Disposed meanwhile.
            }
        }

        return read;
    }
}
