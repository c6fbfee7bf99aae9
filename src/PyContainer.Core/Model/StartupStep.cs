namespace PyContainer.Model;

/// <summary>
/// A command the container runs before the server, as an argument list (never a shell string).
/// </summary>
/// <param name="Name">The step's name, shown in the log (e.g. <c>init-db</c>).</param>
/// <param name="Arguments">The command and its arguments.</param>
/// <param name="Switch">An environment variable that turns the step off (value other than "1"), with its default; null when always on.</param>
public sealed record StartupStep(string Name, IReadOnlyList<string> Arguments, (string Variable, string Default)? Switch = null);
