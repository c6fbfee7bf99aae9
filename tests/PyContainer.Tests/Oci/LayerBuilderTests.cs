using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using PyContainer.Oci;

namespace PyContainer.Tests.Oci;

/// <summary>The deterministic layer writer: the same entries always give the same bytes, in any order of adding.</summary>
[Collection(AllocationSensitive.Name)]
public sealed class LayerBuilderTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private const UnixFileMode Mode644 = (UnixFileMode)0x1A4;
    private const UnixFileMode Mode755 = (UnixFileMode)0x1ED;

    [Fact]
    public async Task The_same_entries_give_the_same_digest_and_DiffId_twice()
    {
        using var one = new TempStore();
        using var two = new TempStore();

        LayerBlob first = await Sample(addInReverse: false).WriteAsync(one.Store, CancellationToken.None);
        LayerBlob second = await Sample(addInReverse: false).WriteAsync(two.Store, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(File.ReadAllBytes(one.Store.BlobPath(first.Descriptor.Digest)), File.ReadAllBytes(two.Store.BlobPath(second.Descriptor.Digest)));
    }

    [Fact]
    public async Task Adding_in_another_order_gives_the_same_digest()
    {
        using var store = new TempStore();

        LayerBlob forward = await Sample(addInReverse: false).WriteAsync(store.Store, CancellationToken.None);
        LayerBlob reverse = await Sample(addInReverse: true).WriteAsync(store.Store, CancellationToken.None);

        Assert.Equal(forward.Descriptor.Digest, reverse.Descriptor.Digest);
        Assert.Equal(forward.DiffId, reverse.DiffId);
    }

    [Fact]
    public async Task The_blob_is_a_gzip_with_a_fixed_header_whose_content_has_the_DiffId()
    {
        using var store = new TempStore();
        LayerBlob layer = await Sample(addInReverse: false).WriteAsync(store.Store, CancellationToken.None);
        byte[] blob = File.ReadAllBytes(store.Store.BlobPath(layer.Descriptor.Digest));

        Assert.Equal(MediaTypes.OciLayerGzip, layer.Descriptor.MediaType);
        Assert.Equal(blob.Length, layer.Descriptor.Size);
        Assert.Equal(Digests.Sha256(blob), layer.Descriptor.Digest);
        // Magic, deflate, no flags (no name), mtime 0, no extra flags, OS unknown.
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }, blob[..10]);
        Assert.Equal(layer.DiffId, Digests.Sha256(Decompress(blob)));
    }

    [Fact]
    public async Task Entries_are_sorted_with_implied_parents_fixed_times_and_no_owner_names()
    {
        using var store = new TempStore();
        LayerBlob layer = await Sample(addInReverse: true).WriteAsync(store.Store, CancellationToken.None);

        List<TarEntry> entries = Entries(Decompress(File.ReadAllBytes(store.Store.BlobPath(layer.Descriptor.Digest))));

        Assert.Equal(["app/", "app/data/", "app/main.py", "opt/", "opt/venv/", "opt/venv/bin/", "opt/venv/bin/python", "opt/venv/bin/run"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(Epoch, e.ModificationTime));
        Assert.All(entries, e => Assert.Equal(TarEntryFormat.Ustar, e.Format));
        Assert.All(entries.OfType<PosixTarEntry>(), e => Assert.Equal("", e.UserName));
        Assert.All(entries.OfType<PosixTarEntry>(), e => Assert.Equal("", e.GroupName));
        TarEntry data = entries.Single(e => e.Name == "app/data/");
        Assert.Equal((Mode755 | UnixFileMode.GroupWrite, 1000, 1000), (data.Mode, data.Uid, data.Gid));
        Assert.Equal((Mode755, 0), (entries.Single(e => e.Name == "opt/venv/").Mode, entries.Single(e => e.Name == "opt/venv/").Uid));
        TarEntry python = entries.Single(e => e.Name == "opt/venv/bin/python");
        Assert.Equal((TarEntryType.SymbolicLink, "/usr/local/bin/python3"), (python.EntryType, python.LinkName));
        TarEntry run = entries.Single(e => e.Name == "opt/venv/bin/run");
        Assert.Equal((TarEntryType.RegularFile, Mode755), (run.EntryType, run.Mode));
        Assert.Equal("#!/bin/sh\n", new StreamReader(run.DataStream!).ReadToEnd());
    }

    [Fact]
    public async Task Long_and_non_ASCII_names_and_link_targets_round_trip_through_PAX_only_when_needed()
    {
        using var store = new TempStore();
        string deep = "/" + string.Join('/', Enumerable.Repeat("folder-with-a-long-name", 6)) + "/file.txt";
        string deeper = "/" + string.Join('/', Enumerable.Repeat("x", 80)) + "/" + new string('y', 120);
        var builder = new LayerBuilder(Epoch);
        builder.AddFile(deep, Mode644, [1]);
        builder.AddFile(deeper, Mode644, [2]);
        builder.AddFile("/app/café.txt", Mode644, [3]);
        builder.AddSymlink("/app/link", "/" + new string('t', 150));

        LayerBlob layer = await builder.WriteAsync(store.Store, CancellationToken.None);
        List<TarEntry> entries = Entries(Decompress(File.ReadAllBytes(store.Store.BlobPath(layer.Descriptor.Digest))));

        Assert.Equal(TarEntryFormat.Ustar, entries.Single(e => e.Name == deep[1..]).Format);
        Assert.Equal(TarEntryFormat.Pax, entries.Single(e => e.Name == deeper[1..]).Format);
        Assert.Equal(TarEntryFormat.Pax, entries.Single(e => e.Name == "app/café.txt").Format);
        Assert.Equal("/" + new string('t', 150), entries.Single(e => e.Name == "app/link").LinkName);
        Assert.DoesNotContain(entries.OfType<PaxTarEntry>().SelectMany(e => e.ExtendedAttributes.Keys), k => k is "mtime" or "atime" or "ctime" or "uname" or "gname");
    }

    [Fact]
    public async Task An_owner_id_beyond_ustars_field_goes_into_a_PAX_record()
    {
        var builder = new LayerBuilder(Epoch);
        builder.AddDirectory("/home/user", Mode755, 100_000_000, 100_000_000);
        using var tar = new MemoryStream();

        await builder.WriteTarAsync(tar, CancellationToken.None);
        TarEntry home = Entries(tar.ToArray()).Single(e => e.Name == "home/user/");

        Assert.Equal((100_000_000, 100_000_000, TarEntryFormat.Pax), (home.Uid, home.Gid, home.Format));
    }

    [Fact]
    public async Task A_file_is_streamed_from_its_source_not_held_in_memory()
    {
        using var store = new TempStore();
        const long size = 100L * 1024 * 1024;
        var builder = new LayerBuilder(Epoch);
        builder.AddFile("/data/big.bin", Mode644, size, () => new PatternStream(size));

        long before = GC.GetTotalAllocatedBytes(precise: true);
        LayerBlob layer = await builder.WriteAsync(store.Store, CancellationToken.None);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(allocated < 32L * 1024 * 1024, $"Writing a 100 MB file allocated {allocated / 1024 / 1024} MB.");
        using var gzip = new GZipStream(store.Store.OpenBlob(layer.Descriptor.Digest), CompressionMode.Decompress);
        Assert.Equal(layer.DiffId, Digests.Sha256(gzip));
    }

    [Fact]
    public void Two_entries_at_one_path_or_a_file_under_a_file_are_InvalidOperationException()
    {
        var builder = new LayerBuilder(Epoch);
        builder.AddFile("/app/main.py", Mode644, [1]);

        Assert.Throws<InvalidOperationException>(() => builder.AddFile("/app/main.py", Mode644, [2]));
        Assert.Throws<InvalidOperationException>(() => builder.AddSymlink("/app/main.py", "x"));
        Assert.Throws<InvalidOperationException>(() => builder.AddFile("/app/main.py/inner", Mode644, [2]));
        Assert.Throws<InvalidOperationException>(() => builder.AddDirectory("/app/main.py", Mode755));
        Assert.Throws<InvalidOperationException>(() => builder.AddFile("/app", Mode644, [2]));
    }

    [Fact]
    public void Paths_are_normalized_and_Contains_sees_files_and_implied_folders()
    {
        var builder = new LayerBuilder(Epoch);
        builder.AddFile("//opt//venv/pyvenv.cfg", Mode644, [1]);
        builder.AddDirectory("/opt/venv/", Mode755, 1000, 1000);

        Assert.True(builder.Contains("/opt/venv/pyvenv.cfg"));
        Assert.True(builder.Contains("/opt"));
        Assert.False(builder.Contains("/opt/venv/bin"));
        Assert.Equal(3, builder.Count);
        Assert.Throws<ArgumentException>(() => builder.AddFile("relative/path", Mode644, [1]));
        Assert.Throws<ArgumentException>(() => builder.AddFile("/opt/../etc/passwd", Mode644, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerBuilder(DateTimeOffset.FromUnixTimeSeconds(-1)));
    }

    [Fact]
    public async Task A_file_shorter_than_its_declared_length_fails_the_layer()
    {
        using var store = new TempStore();
        var builder = new LayerBuilder(Epoch);
        builder.AddFile("/app/short", Mode644, 10, () => new MemoryStream([1, 2, 3]));

        await Assert.ThrowsAsync<IOException>(() => builder.WriteAsync(store.Store, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Directory, "blobs", "sha256")));
    }

    private static LayerBuilder Sample(bool addInReverse)
    {
        var steps = new List<Action<LayerBuilder>>
        {
            b => b.AddFile("/app/main.py", Mode644, Encoding.UTF8.GetBytes("print('hello')\n")),
            b => b.AddDirectory("/app/data", Mode755 | UnixFileMode.GroupWrite, 1000, 1000),
            b => b.AddSymlink("/opt/venv/bin/python", "/usr/local/bin/python3"),
            b => b.AddFile("/opt/venv/bin/run", Mode755, 10, () => new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\n"))),
        };
        if (addInReverse)
        {
            steps.Reverse();
        }

        var builder = new LayerBuilder(Epoch);
        steps.ForEach(step => step(builder));
        return builder;
    }

    internal static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    internal static List<TarEntry> Entries(byte[] tar)
    {
        var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>A long stream of repeating bytes made on the fly.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            for (int i = 0; i < n; i++)
            {
                buffer[offset + i] = (byte)((_position + i) % 251);
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
