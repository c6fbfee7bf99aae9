using System.Security.Cryptography;
using PyContainer.Diagnostics;
using PyContainer.EndToEndTests.Infrastructure;
using PyContainer.Python.Lock;
using PyContainer.Python.Wheels;

namespace PyContainer.EndToEndTests;

/// <summary>
/// Daemonless dependencies against the real offline index: a lock of flask's closure plus brotli (a native cp311
/// wheel) resolved for Debian 12, installed through the layer seam into a folder, and run by the real interpreter
/// of the base image with that folder mounted as /opt/venv.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WheelResolverTests : IDisposable
{
    private const string Files = "/var/lib/pycontainer-testenv/pypi/files";
    private static readonly TargetPlatform Bookworm = new("3.11", "3.11.2", "x86_64", Libc.Glibc, "2.36");
    private static readonly VirtualEnvironment Venv = new("/opt/venv", "/usr/bin/python3.11", "3.11", "3.11.2");
    private static readonly string[] Closure =
    [
        "flask-2.2.2-py3-none-any.whl", "werkzeug-2.2.2-py3-none-any.whl", "jinja2-3.1.2-py3-none-any.whl",
        "itsdangerous-2.1.2-py3-none-any.whl", "click-8.1.3-py3-none-any.whl", "markupsafe-2.1.2-cp311-cp311-linux_x86_64.whl",
        "brotli-1.0.9-cp311-cp311-linux_x86_64.whl",
    ];

    private static readonly string[] PylockHeader = ["lock-version = \"1.0\"", "created-by = \"WheelResolverTests\""];

    private readonly string _folder = Directory.CreateTempSubdirectory("pyc-e2e-wheels-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Files, file)))).ToLowerInvariant();

    private static string Project(string file) => file.Split('-')[0];

    private static string Version(string file) => file.Split('-')[1].Replace(".tar.gz", "", StringComparison.Ordinal);

    private string WriteRequirementsLock(IEnumerable<string> files)
    {
        string path = Path.Combine(_folder, "requirements.lock.txt");
        File.WriteAllLines(path, files.SelectMany(f => new[] { $"{Project(f)}=={Version(f)} \\", $"    --hash=sha256:{Sha256(f)}" })
            .Append($"pywin32==305 ; sys_platform == \"win32\" --hash=sha256:{new string('0', 64)}"));
        return path;
    }

    private string WritePylock(IEnumerable<string> files)
    {
        // Wheels named without a URL: the resolver looks each one up on the index by file name.
        string path = Path.Combine(_folder, "pylock.toml");
        File.WriteAllLines(path, PylockHeader.Concat(files.SelectMany(f => new[]
        {
            "", "[[packages]]", $"name = \"{Project(f)}\"", $"version = \"{Version(f)}\"",
            $"wheels = [{{ name = \"{f}\", hashes = {{ sha256 = \"{Sha256(f)}\" }} }}]",
        })));
        return path;
    }

    private async Task<string> InstallAsync(string lockFile)
    {
        IReadOnlyList<LockedPackage> packages = LockFile.Read(lockFile, "PythonLockFile", Bookworm);
        Assert.Equal(Closure.Length, packages.Count);
        var log = new ConsoleLog();
        string cache = Path.Combine(_folder, "cache");
        IReadOnlyList<ResolvedWheel> wheels = await WheelResolver.ResolveAsync(packages, [TestEnvironment.PackageIndexUrl], Bookworm, cache, log, default);
        Assert.Equal(Closure.Order(), wheels.Select(w => w.FileName).Order());
        Assert.Equal(["brotli", "markupsafe"], wheels.Where(w => !w.IsPurePython).Select(w => w.Name).Order());

        string venv = Path.Combine(_folder, "venv");
        Directory.CreateDirectory(venv);
        var layer = new FolderLayer(Venv.Root, venv);
        Venv.WriteTo(layer);
        var installed = wheels.Select(w => WheelInstaller.Install(w, Venv, layer)).ToList();
        layer.Write();
        installed.ForEach(i => i.Dispose());

        // A second resolution finds every wheel in the download cache.
        DateTime before = Directory.GetLastWriteTimeUtc(Path.Combine(cache, "wheels"));
        IReadOnlyList<ResolvedWheel> again = await WheelResolver.ResolveAsync(packages, [TestEnvironment.PackageIndexUrl], Bookworm, cache, log, default);
        Assert.Equal(wheels.Select(w => w.Path), again.Select(w => w.Path));
        Assert.Equal(before, Directory.GetLastWriteTimeUtc(Path.Combine(cache, "wheels")));
        return venv;
    }

    private static async Task<ProcessResult> RunAsync(string venv, params string[] command) =>
        await ProcessRunner.DockerAsync(["run", "--rm", "--network", "host", "-v", $"{venv}:/opt/venv:ro", TestEnvironment.BaseImage, .. command]);

    [Fact]
    public async Task Flask_and_brotli_from_a_hashed_requirements_lock_import_and_run_in_the_base_image()
    {
        string venv = await InstallAsync(WriteRequirementsLock(Closure));

        ProcessResult imports = await RunAsync(venv, "/opt/venv/bin/python", "-c",
            "import sys, flask, brotli, markupsafe._speedups; assert sys.prefix == '/opt/venv', sys.prefix; "
            + "assert brotli.decompress(brotli.compress(b'pycontainer')) == b'pycontainer'; print('imported', flask.__file__)");
        ProcessResult version = await RunAsync(venv, "/opt/venv/bin/flask", "--version");
        ProcessResult pipSees = await RunAsync(venv, "/opt/venv/bin/python", "-c",
            "import importlib.metadata as m; d = m.distribution('flask'); print(d.read_text('INSTALLER').strip(), len(d.files))");

        imports.ShouldSucceed("python -c 'import flask, brotli'");
        Assert.Contains("imported /opt/venv/lib/python3.11/site-packages/flask/__init__.py", imports.Output, StringComparison.Ordinal);
        version.ShouldSucceed("/opt/venv/bin/flask --version");
        Assert.Contains("Flask 2.2.2", version.Output, StringComparison.Ordinal);
        Assert.Contains("Werkzeug 2.2.2", version.Output, StringComparison.Ordinal);
        pipSees.ShouldSucceed("importlib.metadata of the installed flask");
        Assert.StartsWith("pycontainer ", pipSees.Output.Trim(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(venv, "*.pyc", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_same_closure_from_a_pylock_toml_naming_its_wheels_runs_too()
    {
        string venv = await InstallAsync(WritePylock(Closure));

        ProcessResult result = await RunAsync(venv, "/opt/venv/bin/python", "-c", "import flask, brotli, jinja2; print(jinja2.Template('{{ 6 * 7 }}').render())");

        result.ShouldSucceed("python -c 'import flask, brotli' from a pylock.toml");
        Assert.Contains("42", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_with_only_an_sdist_is_PYC3016_naming_it_and_the_target()
    {
        string lockFile = WriteRequirementsLock([.. Closure, "psycopg2-2.9.10.tar.gz"]);
        IReadOnlyList<LockedPackage> packages = LockFile.Read(lockFile, "PythonLockFile", Bookworm);

        PyContainerException e = await Assert.ThrowsAsync<PyContainerException>(() =>
            WheelResolver.ResolveAsync(packages, [TestEnvironment.PackageIndexUrl], Bookworm, Path.Combine(_folder, "cache"), new ConsoleLog(), default));

        Assert.Equal(Errors.NoCompatibleWheel, e.Code);
        Assert.Contains("psycopg2==2.9.10 (only psycopg2-2.9.10.tar.gz)", e.Message, StringComparison.Ordinal);
        Assert.Contains("cp311 manylinux_2_36_x86_64", e.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerBuildMode=Dockerfile", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("flask", e.Message, StringComparison.Ordinal);
    }

    private sealed class ConsoleLog : IBuildLog
    {
        public void Info(string message) => Console.WriteLine(message);

        public void Detail(string message) => Console.WriteLine(message);

        public void Warning(string code, string message) => Console.WriteLine($"{code}: {message}");
    }
}
