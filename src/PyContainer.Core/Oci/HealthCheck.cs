namespace PyContainer.Oci;

/// <summary>
/// An image's health check as Docker's HEALTHCHECK writes it: Test is ["CMD", ...], ["CMD-SHELL", "..."] or
/// ["NONE"]; unset durations and retries take the engine's defaults.
/// </summary>
public sealed record HealthCheck(IReadOnlyList<string> Test)
{
    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    public TimeSpan? StartPeriod { get; init; }

    /// <summary>Docker 25's --start-interval (checks during the start period); older engines ignore it.</summary>
    public TimeSpan? StartInterval { get; init; }

    public int? Retries { get; init; }
}
