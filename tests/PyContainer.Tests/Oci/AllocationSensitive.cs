namespace PyContainer.Tests.Oci;

/// <summary>
/// Tests that count the process's allocations (a layer is streamed, not held in memory): run alone, after the
/// parallel tests, as any test running beside them (the deflate tests allocate hundreds of MB) would be counted too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationSensitive
{
    public const string Name = "Allocation-sensitive";
}
