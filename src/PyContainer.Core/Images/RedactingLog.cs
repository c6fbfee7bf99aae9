using PyContainer.Diagnostics;
using PyContainer.Python;

namespace PyContainer.Images;

/// <summary>Step logs pass through here when index credentials are in play: every secret becomes "***".</summary>
internal sealed class RedactingLog(IBuildLog inner, IReadOnlyList<string> secrets) : IBuildLog
{
    public void Info(string message) => inner.Info(PackageIndexCredentials.Redact(message, secrets));

    public void Detail(string message) => inner.Detail(PackageIndexCredentials.Redact(message, secrets));

    public void Warning(string code, string message) => inner.Warning(code, PackageIndexCredentials.Redact(message, secrets));
}
