using System.Formats.Tar;
using System.Security.Cryptography;
using PyContainer.Context;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>The context tar's exact bytes: incremental build states and the engine's cache keys hang on them.</summary>
public sealed class ContextTarBytesTests
{
    /// <summary>
    /// The sha256 the hand-written ustar writer (before System.Formats.Tar) gave <see cref="OrdinaryContext"/>: the
    /// same bytes keep the digests of existing contexts, so an upgrade rebuilds nothing.
    /// </summary>
    private const string FormerWriterDigest = "sha256:cc73c416b21461f85831091719e8c3080262c6c1f1d9dee1984cc026121029cb";

    /// <summary>Every kind of path the context holds but many short folders: short, exactly 100 bytes, split into a ustar prefix, GNU long names, UTF-8.</summary>
    private static BuildContext OrdinaryContext()
    {
        var context = new BuildContext();
        context.AddText(".dockerignore", BuildContext.DockerIgnore);
        context.AddText("Dockerfile", "FROM python:3.12-slim\nCOPY app/ /app/\n");
        context.AddText("app/__init__.py", "");
        context.AddText("app/block.txt", new string('b', 512));
        context.AddText("app/naïve.py", "print('é')\n");
        context.AddText("app/" + new string('n', 96), "exactly one hundred bytes\n");
        context.AddText("app/" + string.Concat(Enumerable.Repeat("folder/", 14)) + "module.py", "split\n");
        context.AddText("app/" + new string('p', 150) + "/" + new string('m', 100), "256 bytes\n");
        context.AddText("app/" + string.Join("/", Enumerable.Range(0, 30).Select(i => $"directory{i:00}")) + "/module.py", "long\n");
        context.AddText("app/x" + new string('é', 150), "cut between characters\n");
        context.AddText("app/" + new string('q', 120) + ".py", "no slash to split at\n");
        return context;
    }

    internal static byte[] TarOf(BuildContext context)
    {
        using var output = new MemoryStream();
        context.WriteTar(output);
        return output.ToArray();
    }

    [Fact]
    public void Ordinary_paths_keep_the_former_writers_bytes()
    {
        Assert.Equal(FormerWriterDigest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(TarOf(OrdinaryContext()))));
    }

    [Fact]
    public void A_script_keeps_its_executable_bit()
    {
        using var project = new TestProject();
        string script = project.Write("run.sh", "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        }

        var context = new BuildContext();
        context.AddFile("app/run.sh", script);
        byte[] tar = TarOf(context);

        Assert.Equal(OperatingSystem.IsWindows() ? "0000644\0"u8.ToArray() : "0000755\0"u8.ToArray(), tar[100..108]);
    }

    public static TheoryData<string> BoundaryPaths()
    {
        var paths = new TheoryData<string>();
        foreach (int folder in new[] { 1, 2, 5, 9, 20, 40, 99, 150, 154, 155, 156 })
        {
            foreach (int name in new[] { 1, 4, 50, 99, 100, 101 })
            {
                for (int folders = 1; folders * (folder + 1) + name <= 300; folders += Math.Max(1, 30 / folder))
                {
                    paths.Add(string.Concat(Enumerable.Repeat(new string('d', folder) + "/", folders)) + new string('n', name));
                }
            }
        }

        paths.Add("/" + new string('n', 120));
        paths.Add(new string('é', 60) + "/" + new string('é', 40));
        return paths;
    }

    [Theory]
    [MemberData(nameof(BoundaryPaths))]
    public void FitsUstar_is_the_rule_of_System_Formats_Tar(string path)
    {
        bool written;
        using var writer = new TarWriter(Stream.Null, leaveOpen: true);
        try
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path));
            written = true;
        }
        catch (ArgumentException)
        {
            written = false;
        }

        Assert.Equal(written, ContextTarEntry.FitsUstar(path));
    }
}
