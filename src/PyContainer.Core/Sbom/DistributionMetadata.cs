namespace PyContainer.Sbom;

/// <summary>
/// The header of a Python distribution's METADATA (core metadata, RFC 822 style): Name, Version and the license,
/// as an SPDX expression when the metadata gives one (<see cref="SpdxLicenses"/>).
/// </summary>
internal static class DistributionMetadata
{
    /// <summary>The distribution, or null when the header has no Name or Version.</summary>
    public static PythonDistribution? Parse(string text)
    {
        var fields = new List<(string Name, string Value)>();
        foreach (string line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Length == 0)
            {
                // The header ends at the first empty line; the description follows.
                break;
            }

            if ((line[0] is ' ' or '\t') && fields.Count > 0)
            {
                fields[^1] = (fields[^1].Name, fields[^1].Value + "\n" + line.Trim());
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and int colon)
            {
                fields.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        string? Field(string name) => fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        if (Field("Name") is not { Length: > 0 } distribution || Field("Version") is not { Length: > 0 } version)
        {
            return null;
        }

        string? licenseField = Field("License");
        string? license = SpdxLicenses.Expression(Field("License-Expression"))
            ?? SpdxLicenses.Expression(licenseField)
            ?? SpdxLicenses.FromClassifiers(fields.Where(f => string.Equals(f.Name, "Classifier", StringComparison.OrdinalIgnoreCase)).Select(f => f.Value));
        string? rawText = license is null && !string.IsNullOrWhiteSpace(licenseField) && licenseField != "UNKNOWN" ? licenseField.Trim() : null;
        return new PythonDistribution(distribution, version, license, null) { LicenseText = rawText };
    }
}
