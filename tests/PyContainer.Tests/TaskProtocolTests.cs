using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Tasks;

namespace PyContainer.Tests;

/// <summary>
/// The line protocol between the net472 ToolTask and PyContainer.Cli (src/PyContainer.Tasks/PyContainerTask.Protocol.cs,
/// linked here): every parameter kind survives a round trip, whatever characters it holds.
/// </summary>
public sealed class TaskProtocolTests
{
    private const string Awkward = "tab\there\nnew line\r\\back\\slash|pipe %3B;$(x)@(y)'q\"日本\u0001";

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData(Awkward)]
    public void Escaped_fields_are_printable_ascii_on_one_line_and_read_back_unchanged(string value)
    {
        string line = TaskProtocol.Line("value", value, value);

        Assert.All(line, c => Assert.True(c == '\t' || (c >= ' ' && c <= '~'), $"'{c}' in {line}"));
        Assert.Equal(["value", value, value], TaskProtocol.Fields(line));
    }

    [Fact]
    public void Inputs_cross_as_records_and_outputs_stay_behind()
    {
        var sent = new SampleTask
        {
            Name = Awkward,
            Flag = true,
            Tags = ["a;b", "", Awkward],
            Items = [new TaskItem("src/app.py", new Dictionary<string, string> { ["Link"] = TaskProtocol.EscapeForMSBuild(Awkward) }), new TaskItem("x")],
            Result = "not an input",
        };

        List<string> records = TaskProtocol.Records(sent, TaskProtocol.Parameters(typeof(SampleTask), outputs: false), TaskProtocol.CustomMetadata).ToList();
        var received = new SampleTask();
        TaskProtocol.Apply(received, records, (spec, metadata) => new TaskItem(TaskProtocol.EscapeForMSBuild(spec), metadata.ToDictionary(m => m.Key, m => TaskProtocol.EscapeForMSBuild(m.Value))));

        Assert.Equal(Awkward, received.Name);
        Assert.True(received.Flag);
        Assert.Equal(sent.Tags, received.Tags);
        Assert.Equal(["src/app.py", "x"], received.Items.Select(i => i.ItemSpec));
        Assert.Equal(Awkward, received.Items[0].GetMetadata("Link"));
        Assert.Null(received.Optional);
        Assert.Equal("", received.Result);
    }

    [Fact]
    public void Only_output_parameters_come_back()
    {
        var task = new SampleTask { Name = "in", Result = "out" };

        Assert.Equal(["Result"], TaskProtocol.Parameters(typeof(SampleTask), outputs: true).Select(p => p.Name));
        Assert.Equal([TaskProtocol.Line("value", "Result", "out")], TaskProtocol.Records(task, TaskProtocol.Parameters(typeof(SampleTask), outputs: true), TaskProtocol.CustomMetadata));
    }

    [Fact]
    public void An_empty_item_list_is_sent_and_replaces_the_default()
    {
        var received = new SampleTask { Items = [new TaskItem("default")] };

        TaskProtocol.Apply(received, TaskProtocol.Records(new SampleTask(), TaskProtocol.Parameters(typeof(SampleTask), outputs: false), TaskProtocol.CustomMetadata), (spec, _) => new TaskItem(spec));

        Assert.Empty(received.Items);
    }

    private sealed class SampleTask
    {
        public string Name { get; set; } = "";

        public string? Optional { get; set; }

        public bool Flag { get; set; }

        public string[] Tags { get; set; } = [];

        public ITaskItem[] Items { get; set; } = [];

        [Output]
        public string Result { get; set; } = "";
    }
}
