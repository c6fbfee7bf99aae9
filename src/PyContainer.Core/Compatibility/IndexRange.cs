// .NET Framework only (see PyContainer.Core.csproj): System.Index and System.Range, which C# needs for
// `text[..n]` and `text[^1]` (on strings the compiler turns them into Substring and Length arithmetic).
#pragma warning disable CA1066, CA1815, CA2231

namespace System;

/// <summary>An index from the start (<c>3</c>) or from the end (<c>^3</c>) of a sequence.</summary>
internal readonly struct Index : IEquatable<Index>
{
    private readonly int _value;

    public Index(int value, bool fromEnd = false)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "value must be non-negative");
        }

        _value = fromEnd ? ~value : value;
    }

    private Index(int value) => _value = value;

    public static Index Start => new(0);

    public static Index End => new(~0);

    public int Value => _value < 0 ? ~_value : _value;

    public bool IsFromEnd => _value < 0;

    public static implicit operator Index(int value) => FromStart(value);

    public static Index FromStart(int value) => value >= 0 ? new Index(value) : throw new ArgumentOutOfRangeException(nameof(value), "value must be non-negative");

    public static Index FromEnd(int value) => value >= 0 ? new Index(~value) : throw new ArgumentOutOfRangeException(nameof(value), "value must be non-negative");

    public int GetOffset(int length) => IsFromEnd ? length + _value + 1 : _value;

    public override bool Equals(object? obj) => obj is Index other && _value == other._value;

    public bool Equals(Index other) => _value == other._value;

    public override int GetHashCode() => _value;

    public override string ToString() => IsFromEnd ? "^" + Value.ToString(Globalization.CultureInfo.InvariantCulture) : Value.ToString(Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A range of a sequence, <c>start..end</c>.</summary>
internal readonly struct Range(Index start, Index end) : IEquatable<Range>
{
    public Index Start { get; } = start;

    public Index End { get; } = end;

    public static Range All => new(Index.Start, Index.End);

    public static Range StartAt(Index start) => new(start, Index.End);

    public static Range EndAt(Index end) => new(Index.Start, end);

    public (int Offset, int Length) GetOffsetAndLength(int length)
    {
        int start = Start.GetOffset(length);
        int end = End.GetOffset(length);
        if ((uint)end > (uint)length || (uint)start > (uint)end)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        return (start, end - start);
    }

    public override bool Equals(object? obj) => obj is Range other && Equals(other);

    public bool Equals(Range other) => other.Start.Equals(Start) && other.End.Equals(End);

    public override int GetHashCode() => (Start.GetHashCode() * 31) + End.GetHashCode();

    public override string ToString() => Start + ".." + End;
}
