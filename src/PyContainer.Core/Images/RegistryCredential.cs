namespace PyContainer.Images;

/// <summary>
/// Credentials for pushing to one registry, in no builder's format: a user and password, an identity (refresh)
/// token, or neither (anonymous). <see cref="Source"/> says where they came from and is safe to log; the values
/// never are, and <see cref="ToString"/> prints none of them.
/// </summary>
public sealed record RegistryCredential(string ServerAddress, string Source, string? Username = null, string? Password = null, string? IdentityToken = null)
{
    public bool IsAnonymous => Username is null && IdentityToken is null;

    public override string ToString() => $"{ServerAddress} ({Source})";
}
