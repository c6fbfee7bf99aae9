using System.Globalization;

namespace PyContainer.Python.Wheels;

/// <summary>The C library of the target image, which decides between manylinux and musllinux wheels.</summary>
public enum Libc
{
    Glibc,
    Musl,
}

/// <summary>
/// The image a wheel must run in: CPython <paramref name="PythonVersion"/> ("3.11", full "3.11.2") on Linux
/// <paramref name="Machine"/> ("x86_64", "aarch64") with <paramref name="Libc"/> of <paramref name="LibcVersion"/>
/// ("2.36" for glibc, "1.2" for musl; null when unknown: then only the baselines manylinux2014 / musllinux_1_1).
/// </summary>
public sealed record TargetPlatform(string PythonVersion, string PythonFullVersion, string Machine, Libc Libc, string? LibcVersion)
{
    // manylinux aliases of PEP 600 tags (PEP 513, 571, 599); 2010 and 1 exist only for Intel.
    private static readonly string[] Manylinux2014Machines = ["x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x"];

    /// <summary>"cp311": the interpreter tag.</summary>
    public string InterpreterTag => "cp" + Nodot(Major, Minor);

    /// <summary>The wheel tag a message names for this target, e.g. "cp311 manylinux_2_36_x86_64".</summary>
    public string Describe() => $"{InterpreterTag} {Platforms()[0]}";

    private int Major => Part(PythonVersion, 0);

    private int Minor => Part(PythonVersion, 1);

    /// <summary>
    /// The wheel tags this target accepts, best first, in the order of packaging's sys_tags (what pip uses):
    /// cpXY-cpXY-*, cpXY-abi3-*, cpXY-none-*, abi3 of older CPythons, pyXY/py3-none-* on the platform, then
    /// cpXY-none-any and pyXY/py3-none-any; the platforms are newest libc first, linux_&lt;machine&gt; last.
    /// </summary>
    public IReadOnlyList<string> Tags()
    {
        IReadOnlyList<string> platforms = Platforms();
        string cp = InterpreterTag;
        var tags = new List<string>();
        foreach (string abi in new[] { cp, "abi3", "none" })
        {
            tags.AddRange(platforms.Select(p => $"{cp}-{abi}-{p}"));
        }

        for (int minor = Minor - 1; minor >= 2; minor--)
        {
            string older = "cp" + Nodot(Major, minor);
            tags.AddRange(platforms.Select(p => $"{older}-abi3-{p}"));
        }

        IReadOnlyList<string> pythons = PythonRange();
        foreach (string py in pythons)
        {
            tags.AddRange(platforms.Select(p => $"{py}-none-{p}"));
        }

        tags.Add($"{cp}-none-any");
        tags.AddRange(pythons.Select(py => $"{py}-none-any"));
        return tags;
    }

    /// <summary>The platform tags, best first.</summary>
    public IReadOnlyList<string> Platforms()
    {
        string machine = Machine.Replace('-', '_').Replace('.', '_');
        var platforms = new List<string>();
        if (Libc == Libc.Glibc)
        {
            // Below 2.17 (manylinux2014) only Intel wheels were ever built.
            int lowest = machine is "x86_64" or "i686" ? 5 : 17;
            int newest = LibcVersion is null ? 17 : Part(LibcVersion, 1);
            if (LibcVersion is not null && Part(LibcVersion, 0) != 2)
            {
                newest = -1;
            }

            for (int minor = newest; minor >= lowest; minor--)
            {
                platforms.Add($"manylinux_2_{minor}_{machine}");
                string? alias = minor switch
                {
                    17 when Manylinux2014Machines.Contains(machine) => "manylinux2014",
                    12 when machine is "x86_64" or "i686" => "manylinux2010",
                    5 when machine is "x86_64" or "i686" => "manylinux1",
                    _ => null,
                };
                if (alias is not null)
                {
                    platforms.Add($"{alias}_{machine}");
                }
            }
        }
        else
        {
            int newest = LibcVersion is null ? 1 : Part(LibcVersion, 1);
            for (int minor = newest; minor >= 0; minor--)
            {
                platforms.Add($"musllinux_1_{minor}_{machine}");
            }
        }

        platforms.Add($"linux_{machine}");
        return platforms;
    }

    /// <summary>The PEP 508 marker values of this target (what `python -c "import packaging.markers"` would see in the image).</summary>
    internal IReadOnlyDictionary<string, string> MarkerEnvironment() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["python_version"] = $"{Major}.{Minor}",
        ["python_full_version"] = PythonFullVersion,
        ["os_name"] = "posix",
        ["sys_platform"] = "linux",
        ["platform_system"] = "Linux",
        ["platform_machine"] = Machine,
        ["platform_python_implementation"] = "CPython",
        ["implementation_name"] = "cpython",
        ["implementation_version"] = PythonFullVersion,
        // Kernel release and version are the build host's at run time: unknown here, empty as in a bare environment.
        ["platform_release"] = "",
        ["platform_version"] = "",
        ["extra"] = "",
    };

    /// <summary>py311, py3, py310 ... py30: packaging's _py_interpreter_range.</summary>
    private List<string> PythonRange()
    {
        var range = new List<string> { "py" + Nodot(Major, Minor), "py" + Major.ToString(CultureInfo.InvariantCulture) };
        for (int minor = Minor - 1; minor >= 0; minor--)
        {
            range.Add("py" + Nodot(Major, minor));
        }

        return range;
    }

    private static string Nodot(int major, int minor) => string.Create(CultureInfo.InvariantCulture, $"{major}{minor}");

    private static int Part(string version, int index)
    {
        string[] parts = version.Split('.');
        return index < parts.Length && int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
    }
}
