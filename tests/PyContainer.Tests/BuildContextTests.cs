using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using PyContainer.Context;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class BuildContextTests : IDisposable
{
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    /// <summary>A Flask app in a folder that also holds what must never reach the engine.</summary>
    private static PythonAppSettings FlaskWithSecretsAround(TestProject project)
    {
        project.Write(".env", "SECRET_KEY=do-not-ship\n");
        project.Write(".git/config", "[core]\n");
        project.Write(".venv/bin/python", "#!/bin/sh\n");
        project.Write("__pycache__/app.cpython-312.pyc", "\0\0");
        project.Write("notes.txt", "not declared\n");
        return TargetDefaults.Settings with
        {
            ProjectDirectory = project.Directory,
            ProjectName = "flask-hello",
            Files =
            [
                project.Source("app.py", TestProject.FlaskApp),
                new InputFile("PythonContent", project.Write("templates/index.html", "<h1>Hello</h1>\n")),
                project.Source("static/style.css", "body { color: #333; }\n"),
            ],
            PythonRequirementsFile = [project.Write("requirements.txt", "flask==3.0.3\ngunicorn==23.0.0\n")],
            PythonWsgiApp = "app:app",
        };
    }

    private static BuildContext ContextOf(PythonAppSettings settings)
    {
        PythonApp app = PythonAppResolver.Resolve(settings);
        return BuildContext.For(app, DockerfileGenerator.Generate(app));
    }

    private static byte[] TarOf(BuildContext context)
    {
        using var output = new MemoryStream();
        context.WriteTar(output);
        return output.ToArray();
    }

    private static List<TarEntry> EntriesOf(byte[] tar, Dictionary<string, byte[]>? contents = null)
    {
        var entries = new List<TarEntry>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
            if (contents is not null && entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                contents[entry.Name] = copy.ToArray();
            }
        }

        return entries;
    }

    [Fact]
    public void Holds_the_generated_files_and_only_the_declared_inputs()
    {
        BuildContext context = ContextOf(FlaskWithSecretsAround(_project));

        Assert.Equal(
            [".dockerignore", "Dockerfile", "Dockerfile.legacy", "app/app.py", "app/static/style.css", "app/templates/index.html", "pycontainer/check-entry-point.py", "pycontainer/requirements.txt"],
            context.Paths);
    }

    [Fact]
    public void Tar_holds_the_same_paths_and_the_files_bytes()
    {
        PythonAppSettings settings = FlaskWithSecretsAround(_project);
        PythonApp app = PythonAppResolver.Resolve(settings);
        GeneratedContext generated = DockerfileGenerator.Generate(app);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        List<TarEntry> entries = EntriesOf(TarOf(BuildContext.For(app, generated)), contents);

        Assert.Equal(BuildContext.For(app, generated).Paths, entries.Select(e => e.Name));
        Assert.DoesNotContain(entries, e => e.Name.Contains(".env", StringComparison.Ordinal) || e.Name.Contains(".git", StringComparison.Ordinal) || e.Name.Contains(".venv", StringComparison.Ordinal));
        Assert.Equal(Encoding.UTF8.GetBytes(generated.Dockerfile), contents["Dockerfile"]);
        Assert.Equal("flask==3.0.3\ngunicorn==23.0.0\n"u8.ToArray(), contents["pycontainer/requirements.txt"]);
        Assert.Equal(File.ReadAllBytes(_project.PathOf("app.py")), contents["app/app.py"]);
        Assert.Equal(Encoding.UTF8.GetBytes(BuildContext.DockerIgnore), contents[".dockerignore"]);
    }

    [Fact]
    public void Entries_are_sorted_owned_by_root_with_fixed_times_and_modes()
    {
        List<TarEntry> entries = EntriesOf(TarOf(ContextOf(FlaskWithSecretsAround(_project))));

        Assert.Equal(entries.Select(e => e.Name).Order(StringComparer.Ordinal), entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryType.RegularFile, e.EntryType);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal(FixedTime, e.ModificationTime);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, e.Mode);
            Assert.Equal("", e is PosixTarEntry posix ? posix.UserName : "");
        });
    }

    [Fact]
    public void First_header_is_plain_ustar_so_the_engine_recognizes_a_tar()
    {
        byte[] tar = TarOf(ContextOf(FlaskWithSecretsAround(_project)));

        // The ustar magic at offset 257 of the first 512-byte header; a PAX 'x' header would hide the first name.
        Assert.Equal(".dockerignore"u8.ToArray(), tar[0..13]);
        Assert.Equal("ustar"u8.ToArray(), tar[257..262]);
        Assert.Equal((byte)'0', tar[156]);
    }

    [Fact]
    public void Writing_twice_gives_the_same_bytes()
    {
        BuildContext context = ContextOf(FlaskWithSecretsAround(_project));

        Assert.Equal(TarOf(context), TarOf(context));
    }

    [Fact]
    public void A_copy_with_other_timestamps_gives_the_same_bytes()
    {
        byte[] original = TarOf(ContextOf(FlaskWithSecretsAround(_project)));
        using var copy = new TestProject();
        PythonAppSettings copied = FlaskWithSecretsAround(copy);
        foreach (string file in Directory.EnumerateFiles(copy.Directory, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2011, 11, 11, 11, 11, 11, DateTimeKind.Utc));
            File.SetLastAccessTimeUtc(file, new DateTime(2012, 12, 12, 12, 12, 12, DateTimeKind.Utc));
        }

        Assert.Equal(original, TarOf(ContextOf(copied)));
    }

    [Fact]
    public void Long_paths_stay_deterministic()
    {
        string longPath = string.Join("/", Enumerable.Range(0, 30).Select(i => $"directory{i:00}")) + "/module.py";
        var settings = TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "deep",
            Files = [_project.Source("main.py"), _project.Source(longPath)],
            PythonScript = "main.py",
        };
        BuildContext context = ContextOf(settings);

        byte[] first = TarOf(context);
        Thread.Sleep(10);
        byte[] second = TarOf(context);

        Assert.Equal(first, second);
        TarEntry entry = Assert.Single(EntriesOf(first), e => e.Name.EndsWith("module.py", StringComparison.Ordinal));
        Assert.Equal("app/" + longPath, entry.Name);
        Assert.Equal(FixedTime, entry.ModificationTime);
    }

    [Fact]
    public void A_long_path_of_many_short_folders_round_trips_as_a_gnu_long_name()
    {
        // 204 bytes that fit ustar only when split well before the last '/': System.Formats.Tar refuses that split,
        // so the path goes into a GNU long name, whole.
        string deep = string.Concat(Enumerable.Repeat("abcdefghi/", 20)) + "z.py";
        var context = new BuildContext();
        context.AddText(deep, "pass\n");

        TarEntry entry = Assert.Single(EntriesOf(TarOf(context)));

        Assert.Equal(TarEntryFormat.Gnu, entry.Format);
        Assert.Equal(deep, entry.Name);
        Assert.Equal(FixedTime, entry.ModificationTime);
    }

    [Fact]
    public void Save_and_Load_round_trip_to_the_same_digest()
    {
        BuildContext context = ContextOf(FlaskWithSecretsAround(_project));
        using var output = new TestProject();

        string manifest = context.Save(output.Directory);
        BuildContext loaded = BuildContext.Load(manifest);

        Assert.Equal(Path.Combine(output.Directory, BuildContext.ManifestFileName), manifest);
        Assert.Equal(context.Paths, loaded.Paths);
        Assert.Equal(context.ComputeDigest(), loaded.ComputeDigest());
        Assert.True(File.Exists(output.PathOf("Dockerfile")));
        Assert.True(File.Exists(output.PathOf("pycontainer/requirements.txt")));
    }

    [Fact]
    public void Save_leaves_unchanged_files_alone()
    {
        BuildContext context = ContextOf(FlaskWithSecretsAround(_project));
        using var output = new TestProject();
        context.Save(output.Directory);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(output.PathOf("Dockerfile"), old);

        context.Save(output.Directory);

        Assert.Equal(old, File.GetLastWriteTimeUtc(output.PathOf("Dockerfile")));
    }

    [Fact]
    public void Digest_is_the_sha256_of_the_tar()
    {
        BuildContext context = ContextOf(FlaskWithSecretsAround(_project));

        string expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(TarOf(context)));

        Assert.Equal(expected, context.ComputeDigest());
    }

    [Fact]
    public void Digest_changes_when_one_source_byte_changes()
    {
        PythonAppSettings settings = FlaskWithSecretsAround(_project);
        string before = ContextOf(settings).ComputeDigest();
        byte[] bytes = File.ReadAllBytes(_project.PathOf("templates/index.html"));
        bytes[5] ^= 0x01;
        File.WriteAllBytes(_project.PathOf("templates/index.html"), bytes);

        string after = ContextOf(settings).ComputeDigest();

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Digest_ignores_undeclared_files()
    {
        PythonAppSettings settings = FlaskWithSecretsAround(_project);
        string before = ContextOf(settings).ComputeDigest();
        _project.Write(".env", "SECRET_KEY=changed\n");
        _project.Write("notes.txt", "changed\n");

        Assert.Equal(before, ContextOf(settings).ComputeDigest());
    }

    [Fact]
    public void Text_entries_get_lf_line_endings()
    {
        var context = new BuildContext();
        context.AddText("Dockerfile", "FROM x AS runner\r\nCMD [\"a\"]\r\n");
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        EntriesOf(TarOf(context), contents);

        Assert.Equal("FROM x AS runner\nCMD [\"a\"]\n"u8.ToArray(), contents["Dockerfile"]);
    }
}
