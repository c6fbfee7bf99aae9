namespace PyContainer.Model;

public sealed record ContainerPort(int Number, string Type)
{
    public override string ToString() => $"{Number}/{Type}";
}
