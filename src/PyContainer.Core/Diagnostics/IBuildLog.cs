namespace PyContainer.Diagnostics;

/// <summary>Where the core reports progress; the MSBuild tasks bridge it to their TaskLoggingHelper.</summary>
public interface IBuildLog
{
    /// <summary>A line the user sees at normal verbosity (build steps, tags, pushes).</summary>
    void Info(string message);

    /// <summary>A line for detailed verbosity only (engine chatter, step logs).</summary>
    void Detail(string message);

    void Warning(string code, string message);
}
