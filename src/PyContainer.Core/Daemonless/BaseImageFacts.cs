using System.Text.Json.Serialization;

namespace PyContainer.Daemonless;

/// <summary>
/// What the daemonless builder must know of a base image's file system and cannot ask a container for: the Python
/// interpreter a virtual environment points at, its version, and the C library wheels must be built for.
/// </summary>
/// <param name="Interpreter">The interpreter's absolute path as found on the image's PATH ("/usr/local/bin/python3").</param>
/// <param name="PythonVersion">Major.minor ("3.11"), from the interpreter's file name.</param>
/// <param name="PythonFullVersion">Major.minor.micro when the image says (PYTHON_VERSION, dpkg), else major.minor.</param>
/// <param name="Libc">"glibc" or "musl", or null when the image shows neither loader.</param>
/// <param name="LibcVersion">The C library's major.minor ("2.36"), or null when the image does not say.</param>
public sealed record BaseImageFacts(
    [property: JsonPropertyName("interpreter")] string Interpreter,
    [property: JsonPropertyName("pythonVersion")] string PythonVersion,
    [property: JsonPropertyName("pythonFullVersion")] string PythonFullVersion,
    [property: JsonPropertyName("libc")] string? Libc,
    [property: JsonPropertyName("libcVersion")] string? LibcVersion);
