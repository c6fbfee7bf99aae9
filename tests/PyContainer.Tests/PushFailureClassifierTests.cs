using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Model;

namespace PyContainer.Tests;

/// <summary>Which push failures are which code, and which are retried: one row per error text an engine or registry gives.</summary>
public sealed class PushFailureClassifierTests
{
    public static TheoryData<string, string, bool> Table() => new()
    {
        // Refused credentials: PYC4001, final.
        { "unauthorized: authentication required", Errors.PushUnauthorized, false },
        { "unauthorized: incorrect username or password", Errors.PushUnauthorized, false },
        { "denied: requested access to the resource is denied", Errors.PushUnauthorized, false },
        { "errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n", Errors.PushUnauthorized, false },
        { "no basic auth credentials", Errors.PushUnauthorized, false },
        { "received unexpected HTTP status: 401 Unauthorized", Errors.PushUnauthorized, false },
        { "received unexpected HTTP status: 403 Forbidden", Errors.PushUnauthorized, false },
        { "UNAUTHORIZED: access to the requested resource is not authorized", Errors.PushUnauthorized, false },

        // Nobody listens: PYC4003, not retried, except a timeout.
        { "Get \"https://localhost:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused", Errors.RegistryUnreachable, false },
        { "Get \"https://registry.invalid/v2/\": dial tcp: lookup registry.invalid: no such host", Errors.RegistryUnreachable, false },
        { "dial tcp 10.0.0.1:443: connect: network is unreachable", Errors.RegistryUnreachable, false },
        { "Get \"https://10.255.255.1/v2/\": dial tcp 10.255.255.1:443: i/o timeout", Errors.RegistryUnreachable, true },

        // The network or the registry hiccuped: PYC4002, retried.
        { "read tcp 127.0.0.1:5001: connection reset by peer", Errors.PushFailed, true },
        { "write tcp 127.0.0.1:40132->127.0.0.1:5000: write: broken pipe", Errors.PushFailed, true },
        { "write tcp 127.0.0.1:32804->127.0.0.1:37269: use of closed network connection", Errors.PushFailed, true },
        { "Put https://localhost:5001/v2/x/blobs/uploads/: EOF", Errors.PushFailed, true },
        { "Patch \"http://localhost:5000/v2/x/blobs/uploads/1\": unexpected EOF", Errors.PushFailed, true },
        { "net/http: TLS handshake timeout", Errors.PushFailed, true },
        { "net/http: timeout awaiting response headers", Errors.PushFailed, true },
        { "Get \"https://r/v2/\": net/http: request canceled (Client.Timeout exceeded while awaiting headers)", Errors.PushFailed, true },
        { "the connection to the engine broke: Broken pipe", Errors.PushFailed, true },
        { "received unexpected HTTP status: 503 Service Unavailable", Errors.PushFailed, true },
        { "received unexpected HTTP status: 500 Internal Server Error", Errors.PushFailed, true },
        { "502 Bad Gateway", Errors.PushFailed, true },
        { "toomanyrequests: You have reached your pull rate limit", Errors.PushFailed, true },
        { "429 Too Many Requests", Errors.PushFailed, true },

        // Anything else: PYC4002, final.
        { "name unknown: repository name not known to registry", Errors.PushFailed, false },
        { "manifest invalid: manifest invalid", Errors.PushFailed, false },
        { "blob upload unknown: blob upload unknown to registry", Errors.PushFailed, false },

        // Words that only look like a rule: a repository or tag called so is not a network failure.
        { "name unknown: repository geofence/app not known to registry", Errors.PushFailed, false },
        { "name unknown: repository timeout-service not known to registry", Errors.PushFailed, false },
        { "tag invalid: the tag 'EOF-release' is not valid", Errors.PushFailed, false },
        { "open /var/lib/docker/image/overlay2/layerdb: permission denied", Errors.PushFailed, false },
        { "An image does not exist locally with the tag: localhost:5000/denied-app", Errors.PushFailed, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_error_text_has_one_code_and_retry_rule(string error, string code, bool retry)
    {
        PushFailure failure = PushFailureClassifier.Classify(error);

        Assert.Equal((code, retry), (failure.Code, failure.Retry));
    }

    [Theory]
    [InlineData(Errors.PushUnauthorized, "The registry 'localhost:5001' refused the push of 'localhost:5001/app:1' (boom).")]
    [InlineData(Errors.RegistryUnreachable, "The registry 'localhost:5001' could not be reached: boom.")]
    [InlineData(Errors.PushFailed, "Pushing 'localhost:5001/app:1' failed: boom")]
    public void The_coded_error_names_the_registry_or_the_reference(string code, string start)
    {
        var reference = ImageReference.Parse("localhost:5001/app:1", "test");

        PyContainerException e = PushFailureClassifier.ToException(new PushFailure(code, false), reference, "boom");

        Assert.Equal(code, e.Code);
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_Hub_is_named_when_the_reference_has_no_registry()
    {
        var reference = ImageReference.Parse("library/app:1", "test");

        PyContainerException e = PushFailureClassifier.ToException(new PushFailure(Errors.RegistryUnreachable, false), reference, "boom");

        Assert.Contains("'docker.io'", e.Message, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData("dial tcp 127.0.0.1:5000: i/o timeout", true, "PYC4002")]
    [InlineData("dial tcp 127.0.0.1:5000: i/o timeout", false, "PYC4003")]
    [InlineData("dial tcp 127.0.0.1:5000: connect: connection refused", true, "PYC4002")]
    [InlineData("dial tcp 127.0.0.1:5000: connect: connection refused", false, "PYC4003")]
    [InlineData("write tcp 127.0.0.1:1->127.0.0.1:5000: write: connection reset by peer", true, "PYC4002")]
    [InlineData("write tcp 127.0.0.1:1->127.0.0.1:5000: write: connection reset by peer", false, "PYC4002")]
    [InlineData("unauthorized: authentication required", true, "PYC4001")]
    public void A_push_the_registry_answered_before_ends_as_PYC4002_however_its_last_attempt_failed(string lastError, bool answeredBefore, string code)
    {
        PushFailure final = PushFailureClassifier.Final(PushFailureClassifier.Classify(lastError), answeredBefore);

        Assert.Equal(code, final.Code);
    }
}
