namespace PyContainer.Python.Requirements;

/// <summary>The environment marker variables of PEP 508, plus the dotted spellings `packaging` still accepts.</summary>
internal static class MarkerVariables
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
        "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
        "implementation_version", "extra",
        // Legacy spellings from PEP 345 that packaging still reads.
        "os.name", "sys.platform", "platform.version", "platform.machine", "platform.python_implementation",
        "python_implementation",
    };

    public const string Listed = "python_version, python_full_version, os_name, sys_platform, platform_release, platform_system, "
        + "platform_version, platform_machine, platform_python_implementation, implementation_name, implementation_version, extra";

    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>The PEP 508 name of a legacy spelling ("os.name" → "os_name", "python_implementation" → "platform_python_implementation").</summary>
    public static string Canonical(string name) => name switch
    {
        "python_implementation" or "platform.python_implementation" => "platform_python_implementation",
        _ => name.Replace('.', '_'),
    };
}
