namespace PyContainer.Docker;

/// <summary>One build step (a BuildKit vertex) as far as a status message tells it.</summary>
internal sealed record BuildKitVertex(string Digest, string Name, bool Cached, DateTimeOffset? Started, DateTimeOffset? Completed, string Error);

/// <summary>Output a step printed.</summary>
internal sealed record BuildKitLog(string VertexDigest, string Text);

/// <summary>
/// A decoded <c>moby.buildkit.v1.StatusResponse</c>, the payload of the engine's <c>moby.buildkit.trace</c>
/// progress lines: field 1 vertexes, field 3 logs (statuses and warnings are not shown to the user).
/// </summary>
internal sealed record BuildKitStatus(IReadOnlyList<BuildKitVertex> Vertexes, IReadOnlyList<BuildKitLog> Logs)
{
    public static BuildKitStatus Decode(ReadOnlySpan<byte> data)
    {
        var vertexes = new List<BuildKitVertex>();
        var logs = new List<BuildKitLog>();
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadTag();
            switch (field, wireType)
            {
                case (1, 2): vertexes.Add(DecodeVertex(reader.ReadBytes())); break;
                case (3, 2): logs.Add(DecodeLog(reader.ReadBytes())); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new BuildKitStatus(vertexes, logs);
    }

    private static BuildKitVertex DecodeVertex(ReadOnlySpan<byte> data)
    {
        string digest = "", name = "", error = "";
        bool cached = false;
        DateTimeOffset? started = null, completed = null;
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadTag();
            switch (field, wireType)
            {
                case (1, 2): digest = reader.ReadString(); break;
                case (3, 2): name = reader.ReadString(); break;
                case (4, 0): cached = reader.ReadVarint() != 0; break;
                case (5, 2): started = DecodeTimestamp(reader.ReadBytes()); break;
                case (6, 2): completed = DecodeTimestamp(reader.ReadBytes()); break;
                case (7, 2): error = reader.ReadString(); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new BuildKitVertex(digest, name, cached, started, completed, error);
    }

    private static BuildKitLog DecodeLog(ReadOnlySpan<byte> data)
    {
        string vertex = "", text = "";
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadTag();
            switch (field, wireType)
            {
                case (1, 2): vertex = reader.ReadString(); break;
                case (4, 2): text = reader.ReadString(); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new BuildKitLog(vertex, text);
    }

    /// <summary>google.protobuf.Timestamp: seconds (field 1) and nanos (field 2) since the Unix epoch.</summary>
    private static DateTimeOffset DecodeTimestamp(ReadOnlySpan<byte> data)
    {
        long seconds = 0, nanos = 0;
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadTag();
            switch (field, wireType)
            {
                case (1, 0): seconds = (long)reader.ReadVarint(); break;
                case (2, 0): nanos = (long)reader.ReadVarint(); break;
                default: reader.Skip(wireType); break;
            }
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
    }
}
