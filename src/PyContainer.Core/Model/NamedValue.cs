namespace PyContainer.Model;

/// <summary>An item with one value: ContainerEnvironmentVariable Value, ContainerLabel Value, ContainerPort Type.</summary>
public sealed record NamedValue(string Name, string Value);
