using System.Text;
using PyContainer.Oci;

namespace PyContainer.Python.Wheels;

/// <summary>
/// A virtual environment at <paramref name="Root"/> ("/opt/venv") over the image's interpreter
/// <paramref name="BaseInterpreter"/> ("/usr/local/bin/python3.11"): what `python3 -m venv --without-pip` lays out on Linux.
/// </summary>
public sealed record VirtualEnvironment(string Root, string BaseInterpreter, string PythonVersion, string PythonFullVersion)
{
    private const UnixFileMode Folder = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Regular = (UnixFileMode)0b110_100_100;

    /// <summary>"/opt/venv/lib/python3.11/site-packages".</summary>
    public string SitePackages => $"{RootPath}/lib/python{PythonVersion}/site-packages";

    /// <summary>"/opt/venv/bin".</summary>
    public string Bin => $"{RootPath}/bin";

    /// <summary>The interpreter scripts name in their shebang: the venv's, so they run with its site-packages.</summary>
    public string Python => $"{Bin}/python";

    private string RootPath => Root.Length > 1 ? Root.TrimEnd('/') : Root;

    /// <summary>Adds the environment's folders, links and pyvenv.cfg to <paramref name="layer"/>.</summary>
    public void WriteTo(ILayerSink layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        string home = BaseInterpreter.LastIndexOf('/') is > 0 and int slash ? BaseInterpreter[..slash] : "/";
        // The keys and order of CPython 3.11's venv; 'command' is informative only.
        string config = $"home = {home}\n"
            + "include-system-site-packages = false\n"
            + $"version = {PythonFullVersion}\n"
            + $"executable = {BaseInterpreter}\n"
            + $"command = {BaseInterpreter} -m venv --without-pip {RootPath}\n";

        layer.AddDirectory(RootPath, Folder);
        layer.AddFile($"{RootPath}/pyvenv.cfg", Regular, Encoding.UTF8.GetBytes(config));
        layer.AddDirectory(Bin, Folder);
        layer.AddSymlink($"{Bin}/python", BaseInterpreter);
        layer.AddSymlink($"{Bin}/python3", "python");
        if (PythonVersion != "3")
        {
            layer.AddSymlink($"{Bin}/python{PythonVersion}", "python");
        }

        layer.AddDirectory($"{RootPath}/include", Folder);
        layer.AddDirectory($"{RootPath}/include/python{PythonVersion}", Folder);
        layer.AddDirectory($"{RootPath}/lib", Folder);
        layer.AddDirectory($"{RootPath}/lib/python{PythonVersion}", Folder);
        layer.AddDirectory(SitePackages, Folder);
        // 64-bit Linux venvs link lib64 to lib, so platlib paths resolve to the same site-packages.
        layer.AddSymlink($"{RootPath}/lib64", "lib");
    }
}
