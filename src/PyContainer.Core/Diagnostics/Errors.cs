using System.Globalization;
using System.Resources;

namespace PyContainer.Diagnostics;

/// <summary>
/// The catalogue of coded diagnostics. Ranges by kind: PYC1xxx project input (properties and items),
/// PYC2xxx Dockerfile generation, PYC3xxx engine and image build, PYC4xxx registry and push.
/// Message texts live in Messages.resx under the same code.
/// </summary>
public static class Errors
{
    private static readonly ResourceManager Messages = new("PyContainer.Diagnostics.Messages", typeof(Errors).Assembly);

    public const string InvalidImageReference = "PYC1001";
    public const string NoEntryPoint = "PYC1002";
    public const string ConflictingEntryPoints = "PYC1003";
    public const string SourceFileMissing = "PYC1004";
    public const string SourceOutsideProject = "PYC1005";
    public const string RequirementsFileMissing = "PYC1006";
    public const string UnsupportedRequirementOption = "PYC1007";
    public const string InvalidPort = "PYC1008";
    public const string InvalidEnvironmentVariable = "PYC1009";
    public const string InvalidLabel = "PYC1010";
    public const string InvalidUser = "PYC1011";
    public const string InvalidWorkingDirectory = "PYC1012";
    public const string InvalidRequirement = "PYC1013";
    public const string InvalidOsPackage = "PYC1014";
    public const string InvalidPropertyValue = "PYC1015";
    public const string InvalidTag = "PYC1016";
    public const string InvalidIndexUrl = "PYC1017";
    public const string DuplicateContextPath = "PYC1018";
    public const string NoRegistry = "PYC1019";
    public const string InvalidComposeService = "PYC1026";
    public const string UnknownInstallStrategy = "PYC1020";
    public const string PexNeedsProject = "PYC1021";
    public const string InvalidPythonProject = "PYC1022";
    public const string InvalidPythonVersion = "PYC1024";
    public const string InputFileUnreadable = "PYC1025";
    public const string IndexPasswordWithoutIndex = "PYC1050";
    public const string InvalidDockerIgnorePattern = "PYC1027";
    public const string InvalidRegistry = "PYC1035";
    public const string NoRepositoryFromProjectName = "PYC1036";
    public const string InvalidWritableDirectory = "PYC1030";
    public const string InvalidStartupStep = "PYC1031";
    public const string InvalidPortVariable = "PYC1032";
    public const string FactoryNotSupported = "PYC1033";
    public const string LockNotPinned = "PYC1054";
    public const string LockUnreadable = "PYC1055";
    public const string DaemonlessNeedsRun = "PYC1051";
    public const string LockFileMissing = "PYC1052";
    public const string LockFileAmbiguous = "PYC1053";
    public const string InvalidRuntimeIdentifier = "PYC1056";

    public const string MixedCLibraries = "PYC2001";
    public const string LegacyBuilderFallback = "PYC2002";
    public const string SensitiveInput = "PYC2003";
    public const string ServerNotRequired = "PYC2004";
    public const string RootUser = "PYC2005";
    public const string NoBuildKit = "PYC2006";
    public const string ContentLeftOut = "PYC2007";
    public const string RepositoryFromProjectName = "PYC2009";

    public const string EngineUnreachable = "PYC3001";
    public const string BuildStepFailed = "PYC3002";
    public const string BuildFailed = "PYC3003";
    public const string BuildCancelled = "PYC3004";
    public const string ArchiveFailed = "PYC3005";
    public const string EngineTlsInvalid = "PYC3006";
    public const string InvalidEngineEndpoint = "PYC3008";
    public const string EntryPointCheckFailed = "PYC3007";
    public const string DockerConfigInvalid = "PYC3009";

    // Remote engines: a docker context that names no endpoint, an ssh:// engine that ssh cannot reach.
    public const string DockerContextMissing = "PYC3030";
    public const string SshEngineUnreachable = "PYC3031";
    public const string BaseImageUnusable = "PYC3018";
    public const string BaseImageMismatch = "PYC3019";
    public const string ImageNotInStore = "PYC3020";
    public const string EngineLoadFailed = "PYC3021";
    public const string OciContentInvalid = "PYC3022";

    // Dockerfile builds for other platforms (RUN steps under QEMU user emulation).
    public const string EmulationMissing = "PYC3023";
    public const string EngineExportFailed = "PYC3025";

    // The .NET Framework task assembly's own errors (PyContainerTask.OutOfProcess.cs logs them from this catalogue).
    public const string CliMissing = "PYC3012";
    public const string DotnetHostMissing = "PYC3013";
    public const string CliFailed = "PYC3014";

    // Daemonless dependencies: the wheels of the lock, fetched and installed without pip.
    public const string PackageIndexFailed = "PYC3015";
    public const string NoCompatibleWheel = "PYC3016";
    public const string WheelContentInvalid = "PYC3017";

    public const string PushUnauthorized = "PYC4001";
    public const string PushFailed = "PYC4002";
    public const string RegistryUnreachable = "PYC4003";
    public const string CredentialHelperFailed = "PYC4004";

    // The registry client of the daemonless builder (PyContainer.Registry).
    public const string RegistryRequestFailed = "PYC4006";
    public const string PlatformNotInIndex = "PYC4007";
    public const string RegistryDenied = "PYC4008";

    // The SBOM (PyContainer.Sbom): reading an image for its inventory, attaching the SBOM to the pushed image.
    public const string InventoryFailed = "PYC3026";
    public const string SbomAttachFailed = "PYC4010";

    /// <summary>Creates the coded exception with the catalogue's message for <paramref name="code"/>.</summary>
    public static PyContainerException Create(string code, params object?[] args) => Create(code, null, args);

    public static PyContainerException Create(string code, Exception? inner, params object?[] args)
    {
        string format = Messages.GetString(code, CultureInfo.CurrentUICulture)
            ?? throw new InvalidOperationException($"No message for diagnostic {code}.");
        return new PyContainerException(code, string.Format(CultureInfo.CurrentCulture, format, args), inner);
    }
}
