using PyContainer.Oci;

namespace PyContainer.Registry;

/// <summary>A response body that releases its response (and connection) when the reader disposes it.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream inner) : ReadOnlyForwardStream
{
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
