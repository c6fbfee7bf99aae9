namespace PyContainer.Model;

/// <summary>A folder the app writes at run time: created at build time, owned by the runtime user.</summary>
/// <param name="Path">The absolute path in the image.</param>
/// <param name="Volume">Whether the image declares it a VOLUME.</param>
public sealed record WritableDirectory(string Path, bool Volume);
