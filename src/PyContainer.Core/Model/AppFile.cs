namespace PyContainer.Model;

/// <summary>A file of the user's that goes into the image, and its path relative to the app's working directory.</summary>
public sealed record AppFile(string SourcePath, string AppPath);
