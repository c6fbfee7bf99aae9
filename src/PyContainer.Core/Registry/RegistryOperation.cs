namespace PyContainer.Registry;

/// <summary>What a request is for, in the words of an error message: "the manifest '3.11'" of a repository.</summary>
internal sealed record RegistryOperation(string Repository, string What);
