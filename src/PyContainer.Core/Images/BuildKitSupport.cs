namespace PyContainer.Images;

/// <summary>
/// Whether a builder can build with BuildKit, and, when its engine is not Docker's own (Podman), one line that
/// says which engine and builder were found and what is built instead; the build logs it once.
/// </summary>
/// <param name="Available">BuildKit (RUN --mount, a BuildKit session) is there.</param>
/// <param name="EngineNote">What the engine is, when that decided the answer; null for Docker's engine.</param>
/// <param name="LegacySkipsUnusedStages">
/// Its legacy builder, like BuildKit, builds only the stages the image needs (Buildah does; Docker's legacy builder
/// builds every stage), so the entry-point check stage must be built on its own.
/// </param>
public sealed record BuildKitSupport(bool Available, string? EngineNote = null, bool LegacySkipsUnusedStages = false)
{
    public static BuildKitSupport Yes { get; } = new(true);

    public static BuildKitSupport No { get; } = new(false);
}
