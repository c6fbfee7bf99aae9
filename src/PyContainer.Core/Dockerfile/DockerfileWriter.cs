using System.Globalization;
using System.Text;
using System.Text.Json;
using PyContainer.Model;

namespace PyContainer.Dockerfile;

/// <summary>
/// Writes Dockerfile instructions with the quoting each one needs, so that a value can never end an
/// instruction early or start a new one: exec-form arrays are JSON, ENV and LABEL values are double-quoted
/// with '\', '"' and '$' escaped. Control characters are rejected before values get here (see PythonApp).
/// </summary>
internal sealed class DockerfileWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly StringBuilder _text = new();

    public DockerfileWriter Comment(string text)
    {
        // Every kind of line break starts a commented line: a project name must not end the comment.
        foreach (string line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            _text.Append("# ").Append(line).Append('\n');
        }

        return this;
    }

    public DockerfileWriter BlankLine()
    {
        _text.Append('\n');
        return this;
    }

    public DockerfileWriter From(string image, string stage) => Line($"FROM {image} AS {stage}");

    public DockerfileWriter Arg(string name) => Line($"ARG {name}");

    public DockerfileWriter Env(IEnumerable<NamedValue> variables) => KeyValues("ENV", variables);

    /// <summary>ENV whose value expands variables of the base image (e.g. $PATH); for generator constants only.</summary>
    public DockerfileWriter EnvExpanded(string name, string value) => Line($"ENV {name}=\"{value}\"");

    public DockerfileWriter Label(IEnumerable<NamedValue> labels) => KeyValues("LABEL", labels);

    public DockerfileWriter WorkDir(string path) => Line($"WORKDIR {path}");

    public DockerfileWriter User(string user) => Line($"USER {user}");

    public DockerfileWriter Expose(IEnumerable<string> ports) => Line("EXPOSE " + string.Join(" ", ports));

    /// <summary>COPY in JSON form; <paramref name="flags"/> are generator constants such as "--from=builder".</summary>
    public DockerfileWriter Copy(string source, string destination, string? flags = null) =>
        Line("COPY " + (flags is null ? "" : flags + " ") + Json([source, destination]));

    public DockerfileWriter Cmd(IReadOnlyList<string> command) => Line("CMD " + Json(command));

    public DockerfileWriter Entrypoint(IReadOnlyList<string> command) => Line("ENTRYPOINT " + Json(command));

    public DockerfileWriter HealthCheck(RunnerHealthCheck check) =>
        Line(string.Create(CultureInfo.InvariantCulture, $"HEALTHCHECK --interval={Duration(check.Interval)} --timeout={Duration(check.Timeout)} --start-period={Duration(check.StartPeriod)} --retries={check.Retries} CMD ") + Json(check.Command));

    /// <summary>Docker's duration syntax: whole seconds as "30s", anything finer in milliseconds.</summary>
    private static string Duration(TimeSpan span) => span.Ticks % TimeSpan.TicksPerSecond == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalMilliseconds}ms");

    /// <summary>
    /// One RUN of several commands joined with '&amp;&amp;', one per line. Commands are generator constants and
    /// validated package names only, never free text from the project.
    /// </summary>
    public DockerfileWriter Run(IReadOnlyList<string> commands, IReadOnlyList<string>? mounts = null)
    {
        var line = new StringBuilder("RUN ");
        foreach (string mount in mounts ?? [])
        {
            line.Append(mount).Append(" \\\n    ");
        }

        line.Append(string.Join(" \\\n && ", commands));
        return Line(line.ToString());
    }

    /// <summary>RUN in exec form (JSON, no shell): for arguments that must reach the program verbatim.</summary>
    public DockerfileWriter RunExec(IReadOnlyList<string> command, IReadOnlyList<string>? mounts = null) =>
        Line("RUN " + string.Concat((mounts ?? []).Select(m => m + " \\\n    ")) + Json(command));

    public DockerfileWriter Volume(IEnumerable<string> paths) => Line("VOLUME " + Json(paths.ToList()));

    public override string ToString() => _text.ToString();

    internal static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '\\' or '"' or '$')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }

    private static string Json(IReadOnlyList<string> values) =>
        "[" + string.Join(", ", values.Select(v => JsonSerializer.Serialize(v, JsonOptions))) + "]";

    private DockerfileWriter KeyValues(string instruction, IEnumerable<NamedValue> pairs)
    {
        var list = pairs.ToList();
        if (list.Count == 0)
        {
            return this;
        }

        return Line(instruction + " " + string.Join(" \\\n    ", list.Select(p => $"{p.Name}={Quote(p.Value)}")));
    }

    private DockerfileWriter Line(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }
}
