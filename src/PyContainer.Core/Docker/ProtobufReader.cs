namespace PyContainer.Docker;

/// <summary>
/// The few protobuf wire-format reads that BuildKit's status messages need (varints and length-delimited
/// fields). A hand-written reader spares the task assembly a protobuf runtime for one small message type.
/// </summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position >= _data.Length;

    /// <summary>Reads the next field's number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        ulong tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new FormatException("Truncated varint in BuildKit status.");
            }

            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("Malformed varint in BuildKit status.");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        int length = checked((int)ReadVarint());
        if (length < 0 || _position + length > _data.Length)
        {
            throw new FormatException("Truncated field in BuildKit status.");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Advance(8); break;
            case 2: ReadBytes(); break;
            case 5: Advance(4); break;
            default: throw new FormatException($"Unsupported wire type {wireType} in BuildKit status.");
        }
    }

    private void Advance(int count)
    {
        if (_position + count > _data.Length)
        {
            throw new FormatException("Truncated field in BuildKit status.");
        }

        _position += count;
    }
}
