using System.Net;
using PyContainer.EndToEndTests.Apps;
using PyContainer.EndToEndTests.Infrastructure;
using static PyContainer.EndToEndTests.Infrastructure.BuildChecks;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The image at run time (issue 13): writable folders under `docker run --read-only`, startup steps before the
/// server, PORT for every entry point, and the build-time entry-point check that keeps a broken image untagged.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class RuntimeTests
{
    [Fact]
    public async Task Flask_factory_app_runs_read_only_with_instance_as_a_volume_after_its_startup_steps()
    {
        BuiltApp app = await BuiltApp.BuildAsync("flaskr", "runtime");
        string volume = "pycontainer-e2e-flaskr-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            app.ShouldHaveBuilt();
            Assert.Contains("Checked the entry point: the check stage took", app.Build.Output, StringComparison.Ordinal);

            // The app is root's and read-only to the runtime user; only instance/ is the user's.
            ProcessResult owners = await ProcessRunner.DockerAsync("run", "--rm", "--network", "none", "--entrypoint", "sh", app.Image, "-c",
                "stat -c '%n %u %a' /app /app/flaskr/__init__.py /app/instance; touch /app/x 2>&1 || echo app-not-writable");
            owners.ShouldSucceed("stat in the image");
            Assert.Contains("/app 0 755", owners.Output, StringComparison.Ordinal);
            Assert.Contains("/app/flaskr/__init__.py 0 644", owners.Output, StringComparison.Ordinal);
            Assert.Contains("/app/instance 10001 755", owners.Output, StringComparison.Ordinal);
            Assert.Contains("app-not-writable", owners.Output, StringComparison.Ordinal);
            Assert.Contains("/app/instance", (await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{json .Config.Volumes}}", app.Image)).Output, StringComparison.Ordinal);
            // Nothing of the check stage is in the image (Flask's factory made instance/ there, the script was mounted).
            Assert.DoesNotContain("check-entry-point", (await ProcessRunner.DockerAsync("history", "--no-trunc", app.Image)).Output, StringComparison.Ordinal);

            await using (RunningContainer container = await RunningContainer.StartAsync(app.Image, "--read-only", "-v", volume + ":/app/instance"))
            {
                Assert.Equal("flaskr entries: 0\n", await container.GetAsync("/"));
                Assert.Equal("added; entries: 1\n", await PostAsync(container.Port, "/entries", "first"));
                Assert.Equal("flaskr entries: 1\n", await container.GetAsync("/"));

                string log = await container.LogAsync();
                Assert.Contains("pycontainer: startup step 'init-db'", log, StringComparison.Ordinal);
                Assert.Contains("Initialized the database.", log, StringComparison.Ordinal);
                // Command="python3;-c;print('step%3B two')%3Bprint(&quot;it's quoted&quot;)": one argument, ';' and quotes kept.
                Assert.Contains("step; two\nit's quoted", log, StringComparison.Ordinal);
                string stepDone = await container.LoggedAtAsync("Initialized the database.");
                string serverUp = await container.LoggedAtAsync("Listening at");
                Assert.True(string.CompareOrdinal(stepDone, serverUp) < 0, $"the steps run before the server (step done {stepDone}, server up {serverUp})");
                // The server is PID 1 (exec'ed by the entrypoint), so `docker stop` reaches it.
                ProcessResult pid1 = await ProcessRunner.DockerAsync("exec", container.Id, "cat", "/proc/1/cmdline");
                Assert.Contains("gunicorn", pid1.Output, StringComparison.Ordinal);
                Assert.Contains("0.0.0.0:" + container.Port, log, StringComparison.Ordinal);
            }
        }
        finally
        {
            await app.RemoveImageAsync();
            await ProcessRunner.DockerAsync("volume", "rm", "-f", volume);
        }
    }

    [Fact]
    public async Task Waitress_calls_a_factory_and_a_tmpfs_owned_by_the_runtime_user_holds_the_state()
    {
        using SampleProject project = SampleProject.CopyOfTestApp("flaskr");
        File.WriteAllText(Path.Combine(project.Directory, "requirements.txt"), "flask>=2.2\nwaitress>=2.0\n");
        string tag = "waitress-" + Guid.NewGuid().ToString("N")[..8];
        string image = "pycontainer-e2e/flaskr:" + tag;
        try
        {
            ProcessResult build = await project.BuildAsync("ContainerBuild", "ContainerRepository=pycontainer-e2e/flaskr", "ContainerImageTag=" + tag, "PythonWsgiServer=waitress");
            build.ShouldSucceed("build of flaskr on waitress");

            await using RunningContainer container = await RunningContainer.StartAsync(image, "--read-only", "--tmpfs", "/app/instance:uid=10001");
            Assert.Equal("flaskr entries: 0\n", await container.GetAsync("/"));
            Assert.Equal("added; entries: 1\n", await PostAsync(container.Port, "/entries", "first"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task Uvicorn_starts_an_ASGI_factory_with_factory()
    {
        using SampleProject project = SampleProject.CopyOfTestApp("fastapi");
        File.AppendAllText(Path.Combine(project.Directory, "main.py"), "\n\ndef create_app():\n    return app\n");
        string tag = "factory-" + Guid.NewGuid().ToString("N")[..8];
        string image = "pycontainer-e2e/fastapi:" + tag;
        try
        {
            ProcessResult build = await project.BuildAsync("ContainerBuild", "ContainerRepository=pycontainer-e2e/fastapi", "ContainerImageTag=" + tag, "PythonAsgiApp=main:create_app()");
            build.ShouldSucceed("build of an ASGI factory");

            await using RunningContainer container = await RunningContainer.StartAsync(image, "--read-only");
            Assert.Contains("\"shape\":\"fastapi\"", await container.GetAsync("/"), StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_failing_startup_step_stops_the_container_with_its_name_and_exit_code()
    {
        using SampleProject project = SampleProject.CopyOfTestApp("flaskr");
        AddToProject(project, """<ItemGroup><ContainerStartupStep Include="fail-on-purpose" Command="python3;-c;import sys%3B sys.exit(7)" /></ItemGroup>""");
        string image = "pycontainer-e2e/flaskr:failing-step-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            ProcessResult build = await project.BuildAsync("ContainerBuild", "ContainerRepository=pycontainer-e2e/flaskr", "ContainerImageTag=" + image.Split(':')[1]);
            build.ShouldSucceed("build of flaskr with a failing startup step");

            ProcessResult run = await ProcessRunner.RunAsync("docker", ["run", "--rm", "--network", "host", "-e", "PORT=1", image], timeout: TimeSpan.FromMinutes(2));

            Assert.Equal(7, run.ExitCode);
            Assert.Contains("pycontainer: startup step 'fail-on-purpose' failed with exit code 7", run.Output, StringComparison.Ordinal);
            Assert.Contains("Initialized the database.", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Listening at", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Theory]
    [InlineData("flaskrr:create_app()", "ModuleNotFoundError: No module named 'flaskrr'")]
    [InlineData("flaskr:create_ap()", "AttributeError: module 'flaskr' has no attribute 'create_ap'")]
    [InlineData("flaskr:create_app", "does not take a WSGI app's arguments; if it is a factory that returns the app, name it flaskr:create_app()")]
    public async Task An_entry_point_typo_fails_the_build_with_PYC3007_and_publishes_nothing(string wsgiApp, string pythonError)
    {
        using SampleProject project = SampleProject.CopyOfTestApp("flaskr");
        string tag = "typo-" + Guid.NewGuid().ToString("N")[..8];
        string before = HashOfUserFiles(project.Directory);

        ProcessResult result = await project.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerRepository=pycontainer-e2e/flaskr-typo", "ContainerImageTag=" + tag, "PythonWsgiApp=" + wsgiApp);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3007"], Errors(result));
        string error = ErrorLine(result, "PYC3007");
        Assert.Contains("PythonWsgiApp=" + wsgiApp, error, StringComparison.Ordinal);
        Assert.Contains(pythonError, error, StringComparison.Ordinal);
        Assert.Contains("PythonEntryPointCheck=false", error, StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "pycontainer-e2e/flaskr-typo", tag);
        Assert.Equal(before, HashOfUserFiles(project.Directory));
    }

    [Fact]
    public async Task A_server_missing_from_the_requirements_fails_the_build_with_PYC3007_and_publishes_nothing()
    {
        using SampleProject project = SampleProject.CopyOfTestApp("flaskr");
        File.WriteAllText(Path.Combine(project.Directory, "requirements.txt"), "flask>=2.2\n");
        string tag = "noserver-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult result = await project.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerRepository=pycontainer-e2e/flaskr-noserver", "ContainerImageTag=" + tag);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3007"], Errors(result));
        Assert.Contains("the server 'gunicorn' that starts PythonWsgiApp is not installed in the image: add 'gunicorn' to the requirements", ErrorLine(result, "PYC3007"), StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "pycontainer-e2e/flaskr-noserver", tag);
    }

    [Fact]
    public async Task An_entry_point_typo_fails_with_PYC3007_on_the_legacy_builder_too()
    {
        using SampleProject project = SampleProject.CopyOfTestApp("flaskr");
        string image = "pycontainer-e2e/flaskr-typo:legacy-" + Guid.NewGuid().ToString("N")[..8];

        // Dockerfile.legacy has no RUN --mount: the check script is copied into the check stage, which the
        // legacy builder builds with every other stage.
        ProcessResult result = await project.BuildAsync("ContainerBuild", "ContainerBuildKit=false", "ContainerRepository=pycontainer-e2e/flaskr-typo", "ContainerImageTag=" + image.Split(':')[1], "PythonWsgiApp=flaskr:create_ap()");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3007"], Errors(result));
        Assert.Contains("AttributeError: module 'flaskr' has no attribute 'create_ap'", ErrorLine(result, "PYC3007"), StringComparison.Ordinal);
        await AssertNoImageAsync(image);
    }

    [Fact]
    public async Task PythonEntryPointCheck_false_builds_an_app_whose_import_fails_at_build_time()
    {
        BuiltApp app = await BuiltApp.BuildAsync("flaskr", "no-check", "PythonWsgiApp=flaskrr:create_app()", "PythonEntryPointCheck=false");
        try
        {
            app.ShouldHaveBuilt();
            Assert.DoesNotContain("Checked the entry point", app.Build.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("AS check", app.Dockerfile, StringComparison.Ordinal);
        }
        finally
        {
            await app.RemoveImageAsync();
        }
    }

    [Fact]
    public async Task ContainerAppCommand_gets_PORT_from_the_first_ContainerPort_and_gunicorn_binds_all_addresses()
    {
        using SampleProject project = SampleProject.CopyOfTestApp("flask-gunicorn");
        int port = FreePort();
        string text = File.ReadAllText(project.ProjectFile).Replace("<PythonWsgiApp>app:app</PythonWsgiApp>", "", StringComparison.Ordinal);
        File.WriteAllText(project.ProjectFile, text);
        AddToProject(project, $"""<ItemGroup><ContainerAppCommand Include="gunicorn;app:app" /><ContainerPort Include="{port}" /></ItemGroup>""");
        string tag = "app-command-" + Guid.NewGuid().ToString("N")[..8];
        string image = "pycontainer-e2e/flask-gunicorn:" + tag;
        string? id = null;
        try
        {
            ProcessResult build = await project.BuildAsync("ContainerBuild", "ContainerRepository=pycontainer-e2e/flask-gunicorn", "ContainerImageTag=" + tag);
            build.ShouldSucceed("build with ContainerAppCommand and ContainerPort");

            // No -e PORT: the image's own PORT must bring gunicorn to 0.0.0.0:<first ContainerPort>.
            ProcessResult run = await ProcessRunner.DockerAsync("run", "-d", "--network", "host", image);
            run.ShouldSucceed("docker run");
            id = run.Output.Trim().Split('\n').Last().Trim();
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? body = null;
            for (int attempt = 0; attempt < 60 && body is null; attempt++)
            {
                try
                {
                    body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            string log = (await ProcessRunner.DockerAsync("logs", id)).Output;
            Assert.True(body is not null, "no answer on the first ContainerPort:\n" + log);
            Assert.Contains($"Listening at: http://0.0.0.0:{port}", log, StringComparison.Ordinal);
        }
        finally
        {
            if (id is not null)
            {
                await ProcessRunner.DockerAsync("rm", "-f", id);
            }

            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task Pex_image_runs_under_read_only_from_its_build_time_unpacked_form()
    {
        BuiltApp app = await BuiltApp.BuildAsync("pex-twisted", "read-only");
        try
        {
            app.ShouldHaveBuilt();
            Assert.Contains("ENV PEX_ROOT=\"/opt/pex-root\"", app.Dockerfile, StringComparison.Ordinal);

            await using RunningContainer container = await RunningContainer.StartAsync(app.Image, "--read-only");
            Assert.Equal("pex-twisted answers\n", await container.GetAsync("/"));
        }
        finally
        {
            await app.RemoveImageAsync();
        }
    }

    /// <summary>Adds <paramref name="xml"/> (an ItemGroup, say) at the end of the copied project file.</summary>
    private static void AddToProject(SampleProject project, string xml)
    {
        string text = File.ReadAllText(project.ProjectFile);
        int end = text.LastIndexOf("</Project>", StringComparison.Ordinal);
        File.WriteAllText(project.ProjectFile, text[..end] + "  " + xml + "\n" + text[end..]);
    }

    private static async Task<string> PostAsync(int port, string path, string body)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using HttpResponseMessage response = await client.PostAsync(new Uri($"http://127.0.0.1:{port}{path}"), new StringContent(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
