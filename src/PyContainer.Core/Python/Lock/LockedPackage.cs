namespace PyContainer.Python.Lock;

/// <summary>
/// One pinned package of a lock for the target: exactly <paramref name="Version"/>, and only a file whose sha256
/// (hex, lower case) is one of <paramref name="Sha256Hashes"/> may be installed.
/// </summary>
public sealed record LockedPackage(string Name, string Version, IReadOnlyList<string> Sha256Hashes)
{
    /// <summary>
    /// The wheels a pylock.toml entry names; the installer chooses among these only. Null for a requirements file,
    /// whose entries are looked up in the package indexes.
    /// </summary>
    public IReadOnlyList<LockedWheel>? Wheels { get; init; }

    /// <summary>The index a pylock.toml entry says it came from (its "index" key), asked before the build's indexes.</summary>
    public string? Index { get; init; }

    /// <summary>Where the entry is, "pylock.toml line 12", for messages.</summary>
    public string? Origin { get; init; }
}

/// <summary>A wheel a pylock.toml entry names: its file name, and where to get it (a URL or a path beside the lock), and its sha256.</summary>
public sealed record LockedWheel(string FileName, string? Url, string? LocalPath, string Sha256);
