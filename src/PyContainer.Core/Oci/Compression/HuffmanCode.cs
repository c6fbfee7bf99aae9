namespace PyContainer.Oci.Compression;

/// <summary>
/// Length-limited canonical Huffman codes for deflate, every step deterministic: symbols are ordered by (frequency,
/// symbol), the tree is built with two queues (a leaf wins a tie against a merged node), depths past the limit are
/// folded back with the JPEG (ITU T.81 Annex K.3) count adjustment, which keeps the code complete, and lengths are
/// handed out again by that same order so the rarest symbols get the longest codes.
/// </summary>
internal static class HuffmanCode
{
    /// <summary>
    /// Fills <paramref name="lengths"/> (0 for unused symbols) for <paramref name="frequencies"/>, no length above
    /// <paramref name="maxBits"/>. Always a complete code: fewer than two used symbols are padded with the lowest
    /// unused ones, as inflaters reject an incomplete code.
    /// </summary>
    public static void BuildLengths(ReadOnlySpan<int> frequencies, Span<byte> lengths, int maxBits)
    {
        int count = frequencies.Length;
        lengths[..count].Clear();
        Span<long> keys = stackalloc long[count];
        int used = 0;
        for (int symbol = 0; symbol < count; symbol++)
        {
            if (frequencies[symbol] > 0)
            {
                keys[used++] = ((long)frequencies[symbol] << 16) | (uint)symbol;
            }
        }

        if (used < 2)
        {
            // One used symbol still needs a one-bit code; give the other bit to the lowest unused symbol.
            int padded = used;
            for (int symbol = 0; padded < 2; symbol++)
            {
                if (frequencies[symbol] == 0 || used == 0)
                {
                    lengths[symbol] = 1;
                    padded++;
                }
            }

            if (used == 1)
            {
                lengths[(int)(keys[0] & 0xFFFF)] = 1;
            }

            return;
        }

        keys = keys[..used];
        keys.Sort();
        Span<int> depthCounts = stackalloc int[Math.Max(used, maxBits) + 1];
        CountDepths(keys, depthCounts);
        Limit(depthCounts, maxBits);

        // The rarest symbols (first in key order) take the longest lengths.
        int next = 0;
        for (int bits = maxBits; bits >= 1; bits--)
        {
            for (int i = 0; i < depthCounts[bits]; i++)
            {
                lengths[(int)(keys[next++] & 0xFFFF)] = (byte)bits;
            }
        }
    }

    /// <summary>Canonical codes (§3.2.2) for <paramref name="lengths"/>, bit-reversed as deflate writes them LSB first.</summary>
    public static void BuildCodes(ReadOnlySpan<byte> lengths, Span<ushort> codes)
    {
        Span<int> lengthCounts = stackalloc int[16];
        foreach (byte length in lengths)
        {
            lengthCounts[length]++;
        }

        lengthCounts[0] = 0;
        Span<int> nextCode = stackalloc int[16];
        int code = 0;
        for (int bits = 1; bits < 16; bits++)
        {
            code = (code + lengthCounts[bits - 1]) << 1;
            nextCode[bits] = code;
        }

        for (int symbol = 0; symbol < lengths.Length; symbol++)
        {
            int length = lengths[symbol];
            codes[symbol] = length == 0 ? (ushort)0 : Reverse(nextCode[length]++, length);
        }
    }

    /// <summary>How many leaves sit at each depth of the Huffman tree of the sorted (frequency, symbol) keys.</summary>
    private static void CountDepths(ReadOnlySpan<long> keys, Span<int> depthCounts)
    {
        int leaves = keys.Length;
        int nodes = (2 * leaves) - 1;
        // At most 2 * 286 - 1 nodes: on the stack, as this runs three times a block.
        Span<long> weights = stackalloc long[nodes];
        Span<int> parents = stackalloc int[nodes];
        for (int i = 0; i < leaves; i++)
        {
            weights[i] = keys[i] >> 16;
        }

        // Leaves come in sorted order and merged nodes are made in non-decreasing weight: two queues suffice.
        int leaf = 0;
        int merged = leaves;
        for (int node = leaves; node < nodes; node++)
        {
            int first = Smallest(weights, ref leaf, leaves, ref merged, node);
            int second = Smallest(weights, ref leaf, leaves, ref merged, node);
            weights[node] = weights[first] + weights[second];
            parents[first] = node;
            parents[second] = node;
        }

        // Parents come after their children, so one backward pass gives every depth.
        Span<int> depths = stackalloc int[nodes];
        for (int node = nodes - 2; node >= 0; node--)
        {
            depths[node] = depths[parents[node]] + 1;
        }

        for (int i = 0; i < leaves; i++)
        {
            depthCounts[depths[i]]++;
        }
    }

    private static int Smallest(ReadOnlySpan<long> weights, ref int leaf, int leaves, ref int merged, int end)
    {
        if (leaf < leaves && (merged >= end || weights[leaf] <= weights[merged]))
        {
            return leaf++;
        }

        return merged++;
    }

    /// <summary>
    /// Moves leaves deeper than <paramref name="maxBits"/> up, two at a time: the pair's parent becomes a leaf and a
    /// shallower leaf becomes the parent of one moved leaf, which leaves the tree full.
    /// </summary>
    private static void Limit(Span<int> depthCounts, int maxBits)
    {
        for (int depth = depthCounts.Length - 1; depth > maxBits; depth--)
        {
            while (depthCounts[depth] > 0)
            {
                int shallower = depth - 2;
                while (depthCounts[shallower] == 0)
                {
                    shallower--;
                }

                depthCounts[depth] -= 2;
                depthCounts[depth - 1]++;
                depthCounts[shallower + 1] += 2;
                depthCounts[shallower]--;
            }
        }
    }

    private static ushort Reverse(int code, int length)
    {
        int reversed = 0;
        for (int i = 0; i < length; i++)
        {
            reversed = (reversed << 1) | (code & 1);
            code >>= 1;
        }

        return (ushort)reversed;
    }
}
