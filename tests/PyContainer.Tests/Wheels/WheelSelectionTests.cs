using System.Net;
using System.Security.Cryptography;
using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Python.Lock;
using PyContainer.Python.Wheels;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Wheels;

public sealed class WheelSelectionTests : IDisposable
{
    private static readonly TargetPlatform Bookworm = new("3.11", "3.11.2", "x86_64", Libc.Glibc, "2.36");
    private readonly string _folder = Directory.CreateTempSubdirectory("pyc-resolve-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    private (ResolvedWheel Pure, ResolvedWheel Native) TwoWheels()
    {
        string files = Directory.CreateDirectory(Path.Combine(_folder, "files")).FullName;
        var content = new Dictionary<string, string> { ["pkg/__init__.py"] = "" };
        return (TestWheels.Create(files, "pkg", "1.0", content, pure: true), TestWheels.Create(files, "pkg", "1.0", content, pure: false));
    }

    private static LockedPackage Pylock((ResolvedWheel Pure, ResolvedWheel Native) w) =>
        new("pkg", "1.0", [Sha256(w.Pure.Path), Sha256(w.Native.Path)])
        {
            Wheels = [new(w.Pure.FileName, null, w.Pure.Path, Sha256(w.Pure.Path)), new(w.Native.FileName, null, w.Native.Path, Sha256(w.Native.Path))],
        };

    [Fact]
    public async Task A_pylock_entry_takes_the_best_of_its_wheels_for_the_target()
    {
        var wheels = TwoWheels();

        IReadOnlyList<ResolvedWheel> resolved = await WheelResolver.ResolveAsync([Pylock(wheels)], [], Bookworm, _folder, new RecordingLog(), default);
        IReadOnlyList<ResolvedWheel> onMusl = await WheelResolver.ResolveAsync([Pylock(wheels)], [], Bookworm with { Libc = Libc.Musl, LibcVersion = "1.2" }, _folder, new RecordingLog(), default);

        Assert.Equal(wheels.Native.FileName, Assert.Single(resolved).FileName);
        Assert.False(resolved[0].IsPurePython);
        Assert.Equal(Sha256(wheels.Native.Path), resolved[0].Sha256);
        Assert.Equal(wheels.Native.FileName, onMusl[0].FileName);
    }

    [Fact]
    public async Task No_wheel_for_the_target_is_one_PYC3016_naming_every_package()
    {
        var wheels = TwoWheels();
        LockedPackage nativeOnly = Pylock(wheels) with { Wheels = [Pylock(wheels).Wheels![1]] };
        LockedPackage sdistOnly = new("psycopg2", "2.9.10", [new string('a', 64)]) { Wheels = [], Origin = "pylock.toml line 9" };
        TargetPlatform arm = Bookworm with { Machine = "aarch64" };

        PyContainerException e = await Assert.ThrowsAsync<PyContainerException>(() => WheelResolver.ResolveAsync([nativeOnly, sdistOnly], [], arm, _folder, new RecordingLog(), default));

        Assert.Equal(Errors.NoCompatibleWheel, e.Code);
        Assert.Contains("cp311 manylinux_2_36_aarch64", e.Message, StringComparison.Ordinal);
        Assert.Contains($"pkg==1.0 (only {wheels.Native.FileName})", e.Message, StringComparison.Ordinal);
        Assert.Contains("psycopg2==2.9.10 (pylock.toml line 9 names no wheel, only an sdist)", e.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerBuildMode=Dockerfile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_hash_the_lock_does_not_allow_is_PYC3017()
    {
        var wheels = TwoWheels();
        LockedPackage wrong = new("pkg", "1.0", [new string('0', 64)]) { Wheels = [new(wheels.Pure.FileName, null, wheels.Pure.Path, new string('0', 64))] };

        PyContainerException e = await Assert.ThrowsAsync<PyContainerException>(() => WheelResolver.ResolveAsync([wrong], [], Bookworm, _folder, new RecordingLog(), default));

        Assert.Equal(Errors.WheelContentInvalid, e.Code);
        Assert.Contains(Sha256(wheels.Pure.Path), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_with_credentials_serves_json_and_a_second_resolve_downloads_nothing()
    {
        var wheels = TwoWheels();
        using var index = new TinyIndex(wheels.Pure.Path, wheels.Native.Path);
        string url = index.Url.Replace("http://", "http://user:s3cret@", StringComparison.Ordinal);
        var package = new LockedPackage("PKG", "1.0", [Sha256(wheels.Native.Path)]);
        var log = new RecordingLog();

        IReadOnlyList<ResolvedWheel> first = await WheelResolver.ResolveAsync([package], [url], Bookworm, _folder, log, default);
        int downloads = index.Downloads;
        IReadOnlyList<ResolvedWheel> second = await WheelResolver.ResolveAsync([package], [url], Bookworm, _folder, log, default);

        Assert.Equal(wheels.Native.FileName, first[0].FileName);
        Assert.StartsWith(Path.Combine(_folder, "wheels", Sha256(wheels.Native.Path)), first[0].Path, StringComparison.Ordinal);
        Assert.Equal(1, downloads);
        Assert.Equal(1, index.Downloads);
        Assert.Equal(first[0].Path, second[0].Path);
        Assert.All(index.Authorizations, a => Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:s3cret")), a));
        Assert.DoesNotContain("s3cret", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pylock_wheel_comes_from_its_url_without_indexes_and_from_the_builds_index_when_listed_there()
    {
        var wheels = TwoWheels();
        using var index = new TinyIndex(wheels.Pure.Path);
        string url = index.Url.Replace("/simple/", "/files/" + wheels.Pure.FileName, StringComparison.Ordinal);
        LockedPackage package = new("pkg", "1.0", [Sha256(wheels.Pure.Path)]) { Wheels = [new(wheels.Pure.FileName, url, null, Sha256(wheels.Pure.Path))] };
        LockedPackage elsewhere = package with { Wheels = [new(wheels.Pure.FileName, "https://files.invalid/x.whl", null, Sha256(wheels.Pure.Path))] };

        IReadOnlyList<ResolvedWheel> fromUrl = await WheelResolver.ResolveAsync([package], [], Bookworm, Path.Combine(_folder, "a"), new RecordingLog(), default);
        IReadOnlyList<ResolvedWheel> fromIndex = await WheelResolver.ResolveAsync([elsewhere], [index.Url], Bookworm, Path.Combine(_folder, "b"), new RecordingLog(), default);

        Assert.Equal(wheels.Pure.FileName, fromUrl[0].FileName);
        Assert.Equal(wheels.Pure.FileName, fromIndex[0].FileName);
        Assert.Equal(2, index.Downloads);
    }

    [Fact]
    public async Task An_index_error_is_PYC3015_without_the_password()
    {
        using var index = new TinyIndex();
        string url = index.Url.Replace("http://", "http://user:s3cret@", StringComparison.Ordinal) + "broken/";

        PyContainerException e = await Assert.ThrowsAsync<PyContainerException>(() => WheelResolver.ResolveAsync([new LockedPackage("pkg", "1.0", [new string('0', 64)])], [url], Bookworm, _folder, new RecordingLog(), default));

        Assert.Equal(Errors.PackageIndexFailed, e.Code);
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A PEP 691 JSON index on a loopback port: /simple/pkg/ lists the files, /files/ serves them, /simple/broken/ is 403.</summary>
    private sealed class TinyIndex : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly string[] _files;

        public TinyIndex(params string[] files)
        {
            _files = files;
            int port = System.Net.Sockets.TcpListener.Create(0) is var probe && Start(probe) is int p ? p : 0;
            Url = $"http://127.0.0.1:{port}/simple/";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public int Downloads { get; private set; }

        public List<string> Authorizations { get; } = [];

        public void Dispose() => _listener.Close();

        private static int Start(System.Net.Sockets.TcpListener probe)
        {
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                lock (Authorizations)
                {
                    Authorizations.Add(context.Request.Headers["Authorization"] ?? "");
                }

                string path = context.Request.Url!.AbsolutePath;
                byte[] body;
                if (path.StartsWith("/simple/broken/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = 403;
                    body = [];
                }
                else if (path == "/simple/pkg/")
                {
                    context.Response.ContentType = "application/vnd.pypi.simple.v1+json";
                    string list = string.Join(",", _files.Select(f => $$$"""{"filename":"{{{Path.GetFileName(f)}}}","url":"../../files/{{{Path.GetFileName(f)}}}","hashes":{"sha256":"{{{Sha256(f)}}}"}}"""));
                    body = Encoding.UTF8.GetBytes($$"""{"meta":{"api-version":"1.0"},"name":"pkg","files":[{{list}}]}""");
                }
                else if (_files.FirstOrDefault(f => path == "/files/" + Path.GetFileName(f)) is { } file)
                {
                    Downloads++;
                    body = File.ReadAllBytes(file);
                }
                else
                {
                    context.Response.StatusCode = 404;
                    body = [];
                }

                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
