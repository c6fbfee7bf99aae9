using PyContainer.Diagnostics;
using PyContainer.Python.Wheels;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Wheels;

public sealed class WheelInstallerTests : IDisposable
{
    private const string Site = "/opt/venv/lib/python3.11/site-packages";
    private static readonly VirtualEnvironment Venv = new("/opt/venv", "/usr/local/bin/python3.11", "3.11", "3.11.2");
    private readonly string _folder = Directory.CreateTempSubdirectory("pyc-wheel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ResolvedWheel Tool(Func<string, string, string>? recordHash = null) => TestWheels.Create(_folder, "tool", "1.0", new Dictionary<string, string>
    {
        ["tool/__init__.py"] = "VERSION = '1.0'\n",
        ["tool/cli.py"] = "def main():\n    return 0\n",
        ["tool/native.so"] = "ELF",
        ["tool-1.0.data/scripts/tool-legacy"] = "#!python -u\nimport tool\nprint(tool.VERSION)\n",
        ["tool-1.0.data/scripts/plain.sh"] = "#!/bin/sh\necho plain\n",
        ["tool-1.0.data/data/share/tool/readme.txt"] = "data\n",
        ["tool-1.0.data/headers/tool.h"] = "int tool;\n",
        ["tool-1.0.data/platlib/tool_platlib.py"] = "x = 1\n",
        ["tool-1.0.dist-info/entry_points.txt"] = "[console_scripts]\ntool = tool.cli:main\ntool-sub = tool.cli:App.run [extra]\n\n[gui_scripts]\ntool-gui = tool.cli:main\n\n[flask.commands]\nignored = tool.cli:main\n",
    }, executable: ["tool/native.so"], recordHash: recordHash);

    [Fact]
    public void Files_go_to_their_scheme_with_modes_and_rewritten_scripts()
    {
        var layer = new MemoryLayer();

        using (WheelInstaller.Install(Tool(), Venv, layer))
        {
            Assert.Equal("VERSION = '1.0'\n", layer.Text($"{Site}/tool/__init__.py"));
            Assert.Equal((UnixFileMode)0b110_100_100, layer.Entries[$"{Site}/tool/__init__.py"].Mode);
            Assert.Equal((UnixFileMode)0b111_101_101, layer.Entries[$"{Site}/tool/native.so"].Mode);
            Assert.Equal("x = 1\n", layer.Text($"{Site}/tool_platlib.py"));
            Assert.Equal("#!/opt/venv/bin/python\nimport tool\nprint(tool.VERSION)\n", layer.Text("/opt/venv/bin/tool-legacy"));
            Assert.Equal("#!/bin/sh\necho plain\n", layer.Text("/opt/venv/bin/plain.sh"));
            Assert.Equal((UnixFileMode)0b111_101_101, layer.Entries["/opt/venv/bin/plain.sh"].Mode);
            Assert.Equal("data\n", layer.Text("/opt/venv/share/tool/readme.txt"));
            Assert.Equal("int tool;\n", layer.Text("/opt/venv/include/site/python3.11/tool/tool.h"));
            Assert.Equal("pycontainer\n", layer.Text($"{Site}/tool-1.0.dist-info/INSTALLER"));
            Assert.DoesNotContain(layer.Entries.Keys, k => k.EndsWith(".pyc", StringComparison.Ordinal) || k.Contains(".data/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Entry_points_become_launchers_as_pip_writes_them()
    {
        var layer = new MemoryLayer();

        using (WheelInstaller.Install(Tool(), Venv, layer))
        {
            Assert.Equal("""
                #!/opt/venv/bin/python
                # -*- coding: utf-8 -*-
                import re
                import sys
                from tool.cli import main
                if __name__ == '__main__':
                    sys.argv[0] = re.sub(r'(-script\.pyw|\.exe)?$', '', sys.argv[0])
                    sys.exit(main())

                """.ReplaceLineEndings("\n"), layer.Text("/opt/venv/bin/tool"));
            Assert.Contains("from tool.cli import App\n", layer.Text("/opt/venv/bin/tool-sub"), StringComparison.Ordinal);
            Assert.Contains("sys.exit(App.run())", layer.Text("/opt/venv/bin/tool-sub"), StringComparison.Ordinal);
            Assert.True(layer.Contains("/opt/venv/bin/tool-gui"));
            Assert.False(layer.Contains("/opt/venv/bin/ignored"));
            Assert.Equal((UnixFileMode)0b111_101_101, layer.Entries["/opt/venv/bin/tool"].Mode);
        }
    }

    [Fact]
    public void Record_lists_every_installed_file_relative_to_site_packages()
    {
        var layer = new MemoryLayer();

        using (WheelInstaller.Install(Tool(), Venv, layer))
        {
            string[] rows = layer.Text($"{Site}/tool-1.0.dist-info/RECORD").TrimEnd('\n').Split('\n');
            var paths = rows.Select(r => r.Split(',')[0]).ToList();

            Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
            Assert.Contains("../../../bin/tool", paths);
            Assert.Contains("../../../bin/tool-legacy", paths);
            Assert.Contains("../../../share/tool/readme.txt", paths);
            Assert.Contains("tool/__init__.py", paths);
            Assert.Contains("tool-1.0.dist-info/RECORD,,", rows);
            Assert.Contains("tool-1.0.dist-info/INSTALLER,sha256=", string.Join('\n', rows), StringComparison.Ordinal);
            Assert.Equal(layer.Entries.Count(e => e.Value.Kind == 'f'), rows.Length);
            // Each hash is that of the bytes installed, the rewritten scripts included.
            foreach (string row in rows.Where(r => !r.EndsWith(",,", StringComparison.Ordinal)))
            {
                string[] fields = row.Split(',');
                byte[] bytes = layer.Read(PathIn(fields[0]));
                Assert.Equal(fields[1], "sha256=" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
                Assert.Equal(fields[2], bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void A_file_that_differs_from_its_RECORD_hash_is_PYC3017()
    {
        ResolvedWheel wheel = Tool((name, hash) => name == "tool/cli.py" ? "sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" : hash);

        PyContainerException e = Coded.Throws(Errors.WheelContentInvalid, () => WheelInstaller.Install(wheel, Venv, new MemoryLayer()));

        Assert.Contains("tool/cli.py", e.Message, StringComparison.Ordinal);
        Assert.Contains(wheel.FileName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_RECORD_does_not_list_is_PYC3017()
    {
        ResolvedWheel wheel = Tool((name, hash) => name == "tool/native.so" ? "" : hash);

        Assert.Contains("not listed", Coded.Throws(Errors.WheelContentInvalid, () => WheelInstaller.Install(wheel, Venv, new MemoryLayer())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_wheels_writing_one_path_is_PYC3017()
    {
        var layer = new MemoryLayer();
        ResolvedWheel first = TestWheels.Create(_folder, "first", "1.0", new Dictionary<string, string> { ["shared/__init__.py"] = "a" });
        ResolvedWheel second = TestWheels.Create(_folder, "second", "2.0", new Dictionary<string, string> { ["shared/__init__.py"] = "b" });

        using IDisposable installed = WheelInstaller.Install(first, Venv, layer);
        PyContainerException e = Coded.Throws(Errors.WheelContentInvalid, () => WheelInstaller.Install(second, Venv, layer));

        Assert.Contains($"{Site}/shared/__init__.py", e.Message, StringComparison.Ordinal);
        Assert.Contains("second-2.0-py3-none-any.whl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_leaves_the_install_folder_is_PYC3017()
    {
        ResolvedWheel wheel = TestWheels.Create(_folder, "evil", "1.0", new Dictionary<string, string> { ["../../etc/passwd"] = "x" });

        Coded.Throws(Errors.WheelContentInvalid, () => WheelInstaller.Install(wheel, Venv, new MemoryLayer()));
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_PYC3017()
    {
        string path = Path.Combine(_folder, "broken-1.0-py3-none-any.whl");
        File.WriteAllText(path, "not a zip");

        Coded.Throws(Errors.WheelContentInvalid, () => WheelInstaller.Install(new ResolvedWheel("broken", "1.0", "broken-1.0-py3-none-any.whl", path, true), Venv, new MemoryLayer()));
    }

    [Fact]
    public void Virtual_environment_is_what_venv_without_pip_makes()
    {
        var layer = new MemoryLayer();

        Venv.WriteTo(layer);

        Assert.Equal(Site, Venv.SitePackages);
        Assert.Equal("home = /usr/local/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n"
            + "executable = /usr/local/bin/python3.11\ncommand = /usr/local/bin/python3.11 -m venv --without-pip /opt/venv\n", layer.Text("/opt/venv/pyvenv.cfg"));
        Assert.Equal("/usr/local/bin/python3.11", layer.Entries["/opt/venv/bin/python"].Target);
        Assert.Equal("python", layer.Entries["/opt/venv/bin/python3"].Target);
        Assert.Equal("python", layer.Entries["/opt/venv/bin/python3.11"].Target);
        Assert.Equal("lib", layer.Entries["/opt/venv/lib64"].Target);
        Assert.Equal('d', layer.Entries[Site].Kind);
        Assert.Equal('d', layer.Entries["/opt/venv/include/python3.11"].Kind);
    }

    private static string PathIn(string recorded)
    {
        var stack = new List<string>(Site.Trim('/').Split('/'));
        foreach (string part in recorded.Split('/'))
        {
            if (part == "..")
            {
                stack.RemoveAt(stack.Count - 1);
            }
            else
            {
                stack.Add(part);
            }
        }

        return "/" + string.Join('/', stack);
    }
}
