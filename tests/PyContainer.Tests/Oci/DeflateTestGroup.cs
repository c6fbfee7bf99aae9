namespace PyContainer.Tests.Oci;

/// <summary>
/// The deflate tests allocate hundreds of MB; LayerBuilderTests counts the process's allocations to prove a layer is
/// streamed. One collection, so they never run side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DeflateTestGroup
{
    public const string Name = "Deflate and layer memory";
}
