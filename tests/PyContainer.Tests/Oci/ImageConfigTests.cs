using System.Text;
using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Oci;

/// <summary>The image config: what the runner stage's Dockerfile instructions would make of the base's config.</summary>
public sealed class ImageConfigTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private const string Layer1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Layer2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    // The shape of the official python image's config (docker inspect's .Config fields, Go's field names).
    private static readonly byte[] BaseConfig = Encoding.UTF8.GetBytes($$"""
        {"architecture":"arm64","variant":"v8","os":"linux","created":"2024-01-02T03:04:05.123Z","author":"someone",
         "config":{"Env":["PATH=/usr/local/bin:/usr/bin","LANG=C.UTF-8","PYTHON_VERSION=3.11.9"],"Cmd":["python3"],
                   "Labels":{"z":"1","a":"2"},"StopSignal":"SIGINT"},
         "rootfs":{"type":"layers","diff_ids":["{{Layer1}}"]},
         "history":[{"created":"2024-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "}]}
        """);

    [Fact]
    public void FromBase_keeps_the_platform_config_layers_and_history_and_sets_created()
    {
        ImageConfig config = ImageConfig.FromBase(BaseConfig, Created);
        using JsonDocument json = JsonDocument.Parse(config.ToJson());
        JsonElement root = json.RootElement;

        Assert.Equal(("arm64", "linux", "v8"), (config.Architecture, config.Os, config.Variant));
        Assert.Equal("2023-11-14T22:13:20Z", root.GetProperty("created").GetString());
        Assert.Equal([Layer1], config.DiffIds);
        Assert.Equal("layers", root.GetProperty("rootfs").GetProperty("type").GetString());
        Assert.Equal(1, root.GetProperty("history").GetArrayLength());
        Assert.Equal(["python3"], config.Cmd!);
        Assert.Equal("SIGINT", root.GetProperty("config").GetProperty("StopSignal").GetString());
        Assert.False(root.TryGetProperty("author", out _));
    }

    [Fact]
    public void Env_replaces_a_variable_where_it_is_and_appends_a_new_one()
    {
        ImageConfig config = ImageConfig.FromBase(BaseConfig, Created);

        config.SetEnvironment("PATH", "/opt/venv/bin:" + config.GetEnvironment("PATH"));
        config.SetEnvironment("PORT", "8000");

        Assert.Equal(["PATH=/opt/venv/bin:/usr/local/bin:/usr/bin", "LANG=C.UTF-8", "PYTHON_VERSION=3.11.9", "PORT=8000"], config.Environment);
        Assert.Null(config.GetEnvironment("PAT"));
        Assert.Throws<ArgumentException>(() => config.SetEnvironment("A=B", "c"));
    }

    [Fact]
    public void Docker_field_names_and_shapes_for_user_workdir_ports_volumes_labels_and_healthcheck()
    {
        ImageConfig config = ImageConfig.FromBase(BaseConfig, Created);
        config.SetUser("10001:10001");
        config.SetWorkingDirectory("/app");
        config.ExposePort("8000");
        config.ExposePort("53/UDP");
        config.AddVolume("/app/instance");
        config.SetLabel("a", "replaced");
        config.SetLabel("org.opencontainers.image.title", "hello");
        config.SetHealthCheck(new HealthCheck(["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"])
        {
            Interval = TimeSpan.FromSeconds(30),
            Timeout = TimeSpan.FromSeconds(3),
            StartPeriod = TimeSpan.Zero,
            StartInterval = TimeSpan.FromSeconds(1),
            Retries = 3,
        });

        string json = Encoding.UTF8.GetString(config.ToJson());

        Assert.Contains("\"User\":\"10001:10001\"", json, StringComparison.Ordinal);
        Assert.Contains("\"WorkingDir\":\"/app\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ExposedPorts\":{\"53/udp\":{},\"8000/tcp\":{}}", json, StringComparison.Ordinal);
        Assert.Contains("\"Volumes\":{\"/app/instance\":{}}", json, StringComparison.Ordinal);
        Assert.Contains("\"Labels\":{\"a\":\"replaced\",\"org.opencontainers.image.title\":\"hello\",\"z\":\"1\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost:8000/ || exit 1\"],\"Interval\":30000000000,\"Timeout\":3000000000,\"StartInterval\":1000000000,\"Retries\":3}", json, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => config.ExposePort("http"));
        Assert.Throws<ArgumentException>(() => config.ExposePort("70000"));
        Assert.Throws<ArgumentException>(() => config.ExposePort("80/icmp"));
    }

    [Fact]
    public void An_entrypoint_clears_the_inherited_cmd_but_keeps_one_set_here()
    {
        ImageConfig inherited = ImageConfig.FromBase(BaseConfig, Created);
        inherited.SetEntrypoint(["/app/entrypoint.sh"]);
        ImageConfig set = ImageConfig.FromBase(BaseConfig, Created);
        set.SetCmd(["gunicorn", "app:app"]);
        set.SetEntrypoint(["/app/entrypoint.sh"]);

        Assert.Null(inherited.Cmd);
        Assert.DoesNotContain("\"Cmd\"", Encoding.UTF8.GetString(inherited.ToJson()), StringComparison.Ordinal);
        Assert.Equal(["/app/entrypoint.sh"], inherited.Entrypoint!);
        Assert.Equal(["gunicorn", "app:app"], set.Cmd!);
    }

    [Fact]
    public void Layers_add_DiffIds_and_history_entries_dated_created()
    {
        ImageConfig config = ImageConfig.FromBase(BaseConfig, Created);
        config.AddHistory("ENV PORT=8000", emptyLayer: true);
        config.AddLayer(Layer2, "COPY app /app", "pycontainer");

        using JsonDocument json = JsonDocument.Parse(config.ToJson());
        JsonElement[] history = [.. json.RootElement.GetProperty("history").EnumerateArray()];

        Assert.Equal([Layer1, Layer2], config.DiffIds);
        Assert.Equal(3, config.HistoryCount);
        Assert.Equal("""{"created":"2023-11-14T22:13:20Z","created_by":"ENV PORT=8000","empty_layer":true}""", history[1].GetRawText());
        Assert.Equal("""{"created":"2023-11-14T22:13:20Z","created_by":"COPY app /app","comment":"pycontainer"}""", history[2].GetRawText());
        Assert.Throws<ArgumentException>(() => config.AddLayer("sha256:short", "x"));
    }

    [Fact]
    public void The_same_calls_give_the_same_bytes()
    {
        static byte[] Make()
        {
            ImageConfig config = ImageConfig.FromBase(BaseConfig, Created);
            config.SetLabel("b", "1");
            config.SetLabel("a", "2");
            config.ExposePort("9000");
            config.ExposePort("8000");
            config.AddLayer(Layer2, "COPY");
            return config.ToJson();
        }

        Assert.Equal(Make(), Make());
    }

    [Theory]
    [InlineData("2023-11-14T22:13:20Z", 0)]
    [InlineData("2023-11-14T22:13:20.5Z", 5_000_000)]
    [InlineData("2023-11-14T22:13:20.0000123Z", 123)]
    public void Times_are_written_as_Go_writes_RFC3339_with_nanoseconds(string expected, long ticks)
    {
        Assert.Equal(expected, ImageConfig.FormatTime(Created.AddTicks(ticks).ToOffset(TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"rootfs":{"diff_ids":["md5:abc"]}}""")]
    public void A_base_config_that_does_not_parse_is_PYC3022(string json)
    {
        Assert.Contains("The image content (config ", Coded.Throws(Errors.OciContentInvalid, () => ImageConfig.FromBase(Encoding.UTF8.GetBytes(json), Created)).Message, StringComparison.Ordinal);
    }
}
