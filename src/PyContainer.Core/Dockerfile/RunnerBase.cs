using PyContainer.Context;
using PyContainer.Daemonless;

namespace PyContainer.Dockerfile;

/// <summary>
/// The image the runner stage is built FROM, as the generated context says it: the image plan's base image, or the
/// Dockerfile's <c>FROM ... AS runner</c> with the global ARG defaults before it expanded (<c>python:${PYTHON_VERSION}-slim</c>).
/// </summary>
public static class RunnerBase
{
    /// <summary>The runner stage's base image, or null when the context names none.</summary>
    public static string? Of(BuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Contains(ImagePlan.ContextPath))
        {
            return ImagePlan.FromJson(context.ReadText(ImagePlan.ContextPath)).BaseImage;
        }

        return context.Contains(GeneratedContext.DockerfileName)
            ? DockerfileBaseImages.ImageOf(context.ReadText(GeneratedContext.DockerfileName), new Dictionary<string, string>(StringComparer.Ordinal), RunnerStage.Name)
            : null;
    }
}
