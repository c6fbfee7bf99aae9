namespace PyContainer.Diagnostics;

/// <summary>
/// A failure the user can act on: it carries a stable PYCnnnn code and a message that names what to fix.
/// MSBuild tasks turn it into one coded error; everything else is a bug and surfaces as such.
/// </summary>
public sealed class PyContainerException : Exception
{
    public PyContainerException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
