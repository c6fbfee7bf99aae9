using System.Globalization;
using Microsoft.Build.Framework;
using PyContainer.Compose;

namespace PyContainer.Tasks;

// The parameters are in WriteComposeFile.Interface.cs; this is what the task does with them.
public sealed partial class WriteComposeFile
{
    protected override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        var services = Services.Select(ToService).ToList();
        string path = Path.GetFullPath(ContainerComposeFile);
        File.WriteAllText(path, ComposeFile.Write(services));
        log.Info($"Wrote {path} with {services.Count} services: {string.Join(", ", services.Select(s => s.Name))}");
        return Task.CompletedTask;
    }

    private static ComposeService ToService(ITaskItem item)
    {
        string name = item.ItemSpec;
        string image = item.GetMetadata("Image") is { Length: > 0 } given
            ? ImageReference.Parse(given, $"the Image of ContainerComposeService '{name}'").ToString()
            : ImageReference.FromParts(item.GetMetadata("Registry"), item.GetMetadata("Repository"), FirstTag(item.GetMetadata("Tags")), "ContainerRepository/ContainerImageTags").ToString();
        var dependsOn = item.GetMetadata("DependsOn").Split([';'], StringSplitOptions.RemoveEmptyEntries).Select(d => d.Trim()).ToList();
        return new ComposeService(name, image, Ports(name, item.GetMetadata("Ports")), Environment(name, item.GetMetadata("Environment")), dependsOn)
        {
            Volumes = item.GetMetadata("Volumes").Split([';'], StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()).ToList(),
        };
    }

    /// <summary>The first of ContainerImageTags (the targets default it to latest).</summary>
    private static string? FirstTag(string tags) => tags.Split([';'], StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).FirstOrDefault();

    /// <summary>"8000/tcp;9000" gives 8000 and 9000: compose publishes each on the same host port.</summary>
    private static List<int> Ports(string service, string ports) =>
        ports.Split([';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p.Split('/')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
                ? port
                : throw Errors.Create(Errors.InvalidComposeService, service, $"'{p}' is not a port number"))
            .ToList();

    private static List<KeyValuePair<string, string>> Environment(string service, string environment) =>
        environment.Split([';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.IndexOf('=') is > 0 and int equals
                ? new KeyValuePair<string, string>(pair[..equals].Trim(), pair[(equals + 1)..])
                : throw Errors.Create(Errors.InvalidComposeService, service, $"'{pair}' in Environment is not NAME=value"))
            .ToList();
}
