namespace PyContainer.Python.Wheels;

/// <summary>
/// A wheel chosen for the target and verified against the lock: <paramref name="Path"/> is the downloaded file in
/// the cache; <paramref name="IsPurePython"/> from its WHEEL file's Root-Is-Purelib or a py*-none-any tag.
/// </summary>
public sealed record ResolvedWheel(string Name, string Version, string FileName, string Path, bool IsPurePython)
{
    /// <summary>The sha256 of the file (hex), the one the lock allowed.</summary>
    public string? Sha256 { get; init; }
}
