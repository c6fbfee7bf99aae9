using PyContainer.Diagnostics;

namespace PyContainer.Tests.TestSupport;

/// <summary>An <see cref="IBuildLog"/> that keeps every line, for assertions on what the user would read.</summary>
internal sealed class RecordingLog : IBuildLog
{
    public List<string> Infos { get; } = [];

    public List<string> Details { get; } = [];

    public List<(string Code, string Message)> Warnings { get; } = [];

    /// <summary>Every line, whatever its level.</summary>
    public string Text => string.Join("\n", Infos.Concat(Details).Concat(Warnings.Select(w => $"{w.Code}: {w.Message}")));

    public void Info(string message) => Infos.Add(message);

    public void Detail(string message) => Details.Add(message);

    public void Warning(string code, string message) => Warnings.Add((code, message));
}
