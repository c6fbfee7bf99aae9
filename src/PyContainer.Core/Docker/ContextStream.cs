using PyContainer.Context;

namespace PyContainer.Docker;

/// <summary>
/// The build context as the request body. It is written to a temporary file first: the engine API needs a
/// seekable, length-known body, and the file is deleted as soon as the stream is closed.
/// </summary>
internal static class ContextStream
{
    public static async Task<Stream> CreateAsync(BuildContext context, CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetTempPath(), "pycontainer-context-" + Guid.NewGuid().ToString("N") + ".tar");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await Task.Run(() => context.WriteTar(file), cancellationToken);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
