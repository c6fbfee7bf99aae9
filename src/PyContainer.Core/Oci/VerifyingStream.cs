using System.Security.Cryptography;
using PyContainer.Diagnostics;

namespace PyContainer.Oci;

/// <summary>
/// Reads a blob's bytes from where they come from (a download, a cache file) and fails with PYC3022 as soon as they
/// are not what the descriptor says: more bytes than its size, fewer, or a different sha256 at the end.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Descriptor blob, string origin, bool leaveOpen = false) : ReadOnlyForwardStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override long Length => blob.Size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int count = await inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span, count);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> buffer, int count)
    {
        if (count > 0)
        {
            _read += count;
            if (_read > blob.Size)
            {
                throw Errors.Create(Errors.OciContentInvalid, "blob " + blob.Digest, $"{origin} has more than its {blob.Size} bytes");
            }

            _hash.AppendData(buffer[..count]);
            return count;
        }

        if (buffer.Length > 0 && !_verified)
        {
            // The end: the whole blob must have come, with its digest.
            if (_read < blob.Size)
            {
                throw Errors.Create(Errors.OciContentInvalid, "blob " + blob.Digest, $"{origin} ended after {_read} of its {blob.Size} bytes");
            }

            string actual = Digests.Format(_hash.GetCurrentHash());
            if (actual != blob.Digest)
            {
                throw Errors.Create(Errors.OciContentInvalid, "blob " + blob.Digest, $"the {blob.Size} bytes {origin} has for it have the digest {actual}");
            }

            _verified = true;
        }

        return 0;
    }
}
