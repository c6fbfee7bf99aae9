using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Docker;

/// <summary>What a failed push means: its error code, and whether another attempt may succeed.</summary>
public sealed record PushFailure(string Code, bool Retry);

/// <summary>
/// Classifies the error text of a failed push. The rules match whole phrases of the registry's error codes
/// (distribution spec: "UNAUTHORIZED: ...", "DENIED: ..."), HTTP statuses and Go's network errors, first match
/// wins: a repository called "geofence" or "timeout-service" must not read as an EOF or a timeout.
/// </summary>
public static class PushFailureClassifier
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly PushFailure Refused = new(Errors.PushUnauthorized, Retry: false);
    private static readonly PushFailure Unreachable = new(Errors.RegistryUnreachable, Retry: false);
    private static readonly PushFailure Transient = new(Errors.PushFailed, Retry: true);
    private static readonly PushFailure Other = new(Errors.PushFailed, Retry: false);

    private static readonly (Regex Pattern, PushFailure Failure)[] Rules =
    [
        // Refused credentials: final, a retry cannot fix them.
        (new(@"(^|:\s)(unauthorized|denied|forbidden):\s", Options), Refused),
        (new(@"\bauthentication required\b", Options), Refused),
        (new(@"\bno basic auth credentials\b", Options), Refused),
        (new(@"\brequested access to the resource is denied\b", Options), Refused),
        (new(@"\b(401 Unauthorized|403 Forbidden)\b", Options), Refused),

        // Nobody answers at that address.
        (new(@"\bconnection refused\b", Options), Unreachable),
        (new(@"\bno such host\b", Options), Unreachable),
        (new(@"\bnetwork is unreachable\b", Options), Unreachable),
        // A registry that stops answering may come back: reported as unreachable, but worth another attempt.
        (new(@"\bi/o timeout\b", Options), Unreachable with { Retry = true }),

        // The connection broke or the registry hiccuped: nothing the user must fix.
        (new(@"\bconnection reset by peer\b", Options), Transient),
        (new(@"\bbroken pipe\b", Options), Transient),
        (new(@"\buse of closed network connection\b", Options), Transient),
        (new(@"(^|:\s)(unexpected )?EOF\s*$", Options), Transient),
        (new(@"\bTLS handshake timeout\b|\btimeout awaiting response headers\b|\bClient\.Timeout exceeded\b|\b(operation|connection) timed out\b", Options), Transient),
        (new(@"\bthe connection to the engine broke\b", Options), Transient),
        (new(@"\b50[0234] (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b", Options), Transient),
        (new(@"\breceived unexpected HTTP status: 5\d\d\b", Options), Transient),
        (new(@"\bTOOMANYREQUESTS\b|\b429 Too Many Requests\b", Options), Transient),
    ];

    /// <summary>The first rule <paramref name="error"/> matches; a failure no rule knows is PYC4002, not retried.</summary>
    public static PushFailure Classify(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach ((Regex pattern, PushFailure failure) in Rules)
        {
            if (pattern.IsMatch(error))
            {
                return failure;
            }
        }

        return Other;
    }

    /// <summary>
    /// The failure a push ends with, given its last attempt's and whether an earlier attempt got as far as a transient
    /// failure (PYC4002, retried: the registry answered, then the connection broke). Such a push is PYC4002 even when
    /// its last attempt timed out: the registry was reached, so "unreachable" (PYC4003) would send the user to check
    /// the wrong thing, and the code would depend on where the engine's own upload retries gave up.
    /// </summary>
    public static PushFailure Final(PushFailure last, bool registryAnsweredBefore)
    {
        ArgumentNullException.ThrowIfNull(last);
        return registryAnsweredBefore && last.Code == Errors.RegistryUnreachable ? last with { Code = Errors.PushFailed } : last;
    }

    /// <summary>The coded error for a push of <paramref name="reference"/> that failed with <paramref name="error"/>.</summary>
    public static PyContainerException ToException(PushFailure failure, ImageReference reference, string error)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(reference);
        string registry = reference.Registry ?? "docker.io";
        return failure.Code switch
        {
            Errors.PushUnauthorized => Errors.Create(Errors.PushUnauthorized, registry, reference, error),
            Errors.RegistryUnreachable => Errors.Create(Errors.RegistryUnreachable, registry, error),
            _ => Errors.Create(Errors.PushFailed, reference, error),
        };
    }
}
