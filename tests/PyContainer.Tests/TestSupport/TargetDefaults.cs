using PyContainer.Settings;

namespace PyContainer.Tests.TestSupport;

/// <summary>
/// The settings as PyContainer.Sdk.targets passes them to the task when a project sets nothing: its constant
/// defaults (the core has none of its own). Tests start from these and set what they are about.
/// </summary>
internal static class TargetDefaults
{
    // A new one each time: its lists are mutable, and tests add to them.
    public static PythonAppSettings Settings => new()
    {
        ProjectDirectory = "",
        ProjectName = "",
        PythonWsgiServer = "gunicorn",
        PythonDjangoCollectStatic = false,
        PythonInstallStrategy = "wheels",
        ContainerBuildKit = true,
        ContainerUser = "10001",
        ContainerWorkingDirectory = "/app",
        PythonEntryPointCheck = true,
        ContainerBuildMode = "Dockerfile",
    };
}
