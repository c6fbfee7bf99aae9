using System.Text;

namespace PyContainer.Tests.TestSupport;

/// <summary>Just enough protobuf wire format to build BuildKit status messages by hand.</summary>
internal sealed class ProtobufWriter
{
    private readonly List<byte> _bytes = [];

    public ProtobufWriter Varint(int field, ulong value)
    {
        Tag(field, 0);
        WriteVarint(value);
        return this;
    }

    public ProtobufWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Message(int field, Action<ProtobufWriter> build)
    {
        var nested = new ProtobufWriter();
        build(nested);
        return Bytes(field, nested.ToArray());
    }

    public ProtobufWriter Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        _bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    public ProtobufWriter Fixed32(int field, uint value)
    {
        Tag(field, 5);
        _bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    /// <summary>google.protobuf.Timestamp: seconds = 1, nanos = 2.</summary>
    public ProtobufWriter Timestamp(int field, DateTimeOffset time) => Message(field, t => t
        .Varint(1, (ulong)time.ToUnixTimeSeconds())
        .Varint(2, (ulong)(time.Ticks % TimeSpan.TicksPerSecond * 100)));

    public byte[] ToArray() => [.. _bytes];

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }
}
