using System.Globalization;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// Values the server would reject when the container starts, refused at build time instead: an image that
/// cannot start must not be tagged or pushed.
/// </summary>
internal static class ServerRules
{
    /// <summary>
    /// A PORT environment variable must be a port number, and where the image has ports, the first one: EXPOSE,
    /// the compose file and the health check follow the first ContainerPort, so a PORT that disagrees would make
    /// the server listen where nothing is published (PYC1032).
    /// </summary>
    public static void CheckPortVariable(IReadOnlyList<NamedValue> variables, IReadOnlyList<ContainerPort> ports)
    {
        // gunicorn reads its worker count from WEB_CONCURRENCY with int(): anything else stops it at start.
        foreach (NamedValue variable in variables.Where(v => v.Name == "WEB_CONCURRENCY"))
        {
            if (!int.TryParse(variable.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int workers) || workers < 1)
            {
                throw Errors.Create(Errors.InvalidPortVariable, variable.Name, variable.Value, "gunicorn reads it as its number of workers: use a whole number from 1, e.g. 2");
            }
        }

        foreach (NamedValue variable in variables.Where(v => v.Name == "PORT"))
        {
            string value = variable.Value.Trim();
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
            {
                throw Errors.Create(Errors.InvalidPortVariable, variable.Name, variable.Value, "the server needs a port number from 1 to 65535; remove the item and set <ContainerPort Include=\"8080\" /> instead, which sets PORT");
            }

            if (ports.Count > 0 && ports[0].Number != number)
            {
                throw Errors.Create(Errors.InvalidPortVariable, variable.Name, variable.Value, $"the first ContainerPort is {ports[0].Number}, which PyContainer sets as PORT and EXPOSEs; remove the item and make <ContainerPort Include=\"{number}\" /> the first ContainerPort instead");
            }
        }
    }

    /// <summary>
    /// Gunicorn calls `module:create_app()` itself, waitress-serve with --call and uvicorn with --factory;
    /// `twist web --wsgi` only takes an object, so a factory there is PYC1033.
    /// </summary>
    public static void CheckFactory(EntryPoint entryPoint)
    {
        if (entryPoint.IsFactory && entryPoint.Server == WebServer.Twisted)
        {
            string module = entryPoint.Value[..entryPoint.Value.IndexOf(':', StringComparison.Ordinal)];
            throw Errors.Create(
                Errors.FactoryNotSupported,
                entryPoint.PropertyName,
                entryPoint.Value,
                "twisted",
                $"add `app = {entryPoint.Value[(module.Length + 1)..]}` to {module} and set {entryPoint.PropertyName}={module}:app, or use PythonWsgiServer=gunicorn or waitress");
        }
    }
}
