using PyContainer.Model;

namespace PyContainer.Dockerfile;

/// <summary>Installs OS packages the way each distribution family wants it, leaving no package index in the layer.</summary>
internal abstract class OsPackageManager
{
    public static OsPackageManager For(ImageReference image) => image.IsAlpine ? new Apk() : new AptGet();

    public abstract IReadOnlyList<string> Install(IReadOnlyList<string> packages);

    private sealed class AptGet : OsPackageManager
    {
        public override IReadOnlyList<string> Install(IReadOnlyList<string> packages) =>
        [
            "apt-get update",
            "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends " + string.Join(" ", packages),
            "rm -rf /var/lib/apt/lists/*",
        ];
    }

    private sealed class Apk : OsPackageManager
    {
        public override IReadOnlyList<string> Install(IReadOnlyList<string> packages) =>
            ["apk add --no-cache " + string.Join(" ", packages)];
    }
}
