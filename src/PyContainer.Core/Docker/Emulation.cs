using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Docker;

/// <summary>One binfmt_misc handler: its name (qemu-aarch64), whether it is enabled, and its flags (F: the kernel opens the interpreter at registration, so containers need no copy of it).</summary>
public sealed record BinfmtHandler(string Name, bool Enabled, string Flags)
{
    /// <summary>Reads a handler file of /proc/sys/fs/binfmt_misc ("enabled", "interpreter ...", "flags: PF", ...).</summary>
    public static BinfmtHandler Parse(string name, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string[] lines = content.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string flags = lines.FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal))?["flags:".Length..].Trim() ?? "";
        return new BinfmtHandler(name, lines.Contains("enabled", StringComparer.Ordinal), flags);
    }
}

/// <summary>
/// Whether the engine's host can run RUN steps for other platforms: for each platform that is not the engine's own,
/// an enabled QEMU binfmt_misc handler with the F flag (without it the interpreter path does not exist inside
/// the build container, and every RUN step fails with "exec format error" or "no such file").
/// </summary>
public static class Emulation
{
    /// <summary>Where the kernel lists its binfmt_misc handlers (only when binfmt_misc is mounted).</summary>
    public const string BinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>The handlers registered in <paramref name="directory"/>; empty when binfmt_misc is not mounted.</summary>
    public static IReadOnlyList<BinfmtHandler> ReadHandlers(string directory = BinfmtDirectory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory)
            .Where(f => Path.GetFileName(f) is not ("register" or "status"))
            .Select(f => BinfmtHandler.Parse(Path.GetFileName(f), File.ReadAllText(f)))];
    }

    /// <summary>
    /// The platforms the engine must emulate (not its own architecture, nor one its CPU runs natively: 386 on amd64,
    /// arm on arm64) and the handler each needs; null handler when no QEMU handler exists for the architecture.
    /// </summary>
    /// <param name="engineArchitecture">The engine's /info Architecture ("x86_64", "aarch64").</param>
    public static IEnumerable<ContainerPlatform> Emulated(string engineArchitecture, IReadOnlyList<ContainerPlatform> platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        string own = PlatformManifests.Normalize(new Platform(engineArchitecture, "linux")).Architecture;
        return platforms.Where(p => p.Oci.Architecture != own && (own, p.Oci.Architecture) is not (("amd64", "386") or ("arm64", "arm")));
    }

    /// <summary>The binfmt_misc handler Debian's qemu-user-static registers for an OCI architecture.</summary>
    public static string HandlerName(string architecture) => "qemu-" + architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "386" => "i386",
        "loong64" => "loongarch64",
        _ => architecture,
    };

    /// <summary>PYC3023 unless every emulated platform has an enabled handler with the F flag.</summary>
    /// <param name="engine">The engine's address, for the message.</param>
    public static void Check(string engine, string engineArchitecture, IReadOnlyList<ContainerPlatform> platforms, IReadOnlyList<BinfmtHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var missing = new List<(ContainerPlatform Platform, string Why)>();
        foreach (ContainerPlatform platform in Emulated(engineArchitecture, platforms))
        {
            string name = HandlerName(platform.Oci.Architecture);
            BinfmtHandler? handler = handlers.FirstOrDefault(h => h.Name == name);
            string? why = handler switch
            {
                null when handlers.Count == 0 => $"no binfmt_misc handler is registered at all ({BinfmtDirectory} is not mounted or empty)",
                null => $"no binfmt_misc handler {name} is registered",
                { Enabled: false } => $"the binfmt_misc handler {name} is disabled",
                _ when !handler.Flags.Contains('F', StringComparison.Ordinal) => $"the binfmt_misc handler {name} lacks the F flag (flags '{handler.Flags}'), so containers cannot find its interpreter",
                _ => null,
            };
            if (why is not null)
            {
                missing.Add((platform, why));
            }
        }

        if (missing.Count > 0)
        {
            throw Errors.Create(
                Errors.EmulationMissing,
                engine,
                engineArchitecture,
                string.Join(", ", missing.Select(m => m.Platform.RuntimeIdentifier)),
                string.Join("; ", missing.Select(m => m.Why)),
                string.Join(",", missing.Select(m => m.Platform.Oci.Architecture).Distinct(StringComparer.Ordinal)));
        }
    }
}
