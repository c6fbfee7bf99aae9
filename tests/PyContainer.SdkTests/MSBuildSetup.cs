using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

// In-process builds share one BuildManager: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PyContainer.SdkTests;

internal static class MSBuildSetup
{
    /// <summary>Finds the installed .NET SDK's MSBuild before any test touches a Microsoft.Build type.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly: MSBuildLocator must run before Microsoft.Build loads.")]
    internal static void RegisterMSBuild()
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }
    }
}
