namespace PyContainer.Sbom;

/// <summary>
/// Python metadata's license fields as SPDX expressions: a PEP 639 License-Expression, or a License field that is
/// a known SPDX id or a simple expression of them (AND, OR, WITH, parentheses), or an unambiguous trove classifier.
/// Anything else is no expression (the SBOM says NOASSERTION and keeps the text as a comment).
/// </summary>
internal static class SpdxLicenses
{
    /// <summary>Common SPDX license and exception ids, spelled as the SPDX list does (matched case-insensitively).</summary>
    private static readonly Dictionary<string, string> KnownIds = new[]
    {
        "0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0", "Artistic-2.0",
        "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0",
        "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CDDL-1.0", "CNRI-Python", "ECL-2.0", "EPL-1.0", "EPL-2.0", "EUPL-1.2",
        "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ISC", "LGPL-2.0-only",
        "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT", "MIT-0",
        "MIT-CMU", "MPL-1.1", "MPL-2.0", "NCSA", "OFL-1.1", "OpenSSL", "PostgreSQL", "PSF-2.0", "Python-2.0",
        "Python-2.0.1", "Unicode-DFS-2016", "Unicode-3.0", "Unlicense", "UPL-1.0", "W3C", "WTFPL", "X11", "Zlib", "ZPL-2.1",
        "LicenseRef-Public-Domain", "Classpath-exception-2.0", "LLVM-exception", "GCC-exception-3.1",
    }.ToDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Trove classifiers that name exactly one SPDX license.</summary>
    private static readonly Dictionary<string, string> Classifiers = new(StringComparer.Ordinal)
    {
        ["License :: OSI Approved :: MIT License"] = "MIT",
        ["License :: OSI Approved :: ISC License (ISCL)"] = "ISC",
        ["License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)"] = "MPL-2.0",
        ["License :: OSI Approved :: Python Software Foundation License"] = "PSF-2.0",
        ["License :: OSI Approved :: The Unlicense (Unlicense)"] = "Unlicense",
        ["License :: OSI Approved :: Zope Public License"] = "ZPL-2.1",
        ["License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)"] = "GPL-3.0-or-later",
        ["License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)"] = "LGPL-3.0-or-later",
        ["License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication"] = "CC0-1.0",
    };

    /// <summary>The expression with its ids in the SPDX list's spelling, or null when it is not a simple SPDX expression.</summary>
    public static string? Expression(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        string spaced = text.Trim().Replace("(", " ( ", StringComparison.Ordinal).Replace(")", " ) ", StringComparison.Ordinal);
        var tokens = new List<string>();
        bool expectId = true;
        int depth = 0;
        foreach (string token in spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "(" && expectId)
            {
                depth++;
                tokens.Add(token);
            }
            else if (token == ")" && !expectId && depth > 0)
            {
                depth--;
                tokens.Add(token);
            }
            else if (!expectId && token.ToUpperInvariant() is "AND" or "OR" or "WITH")
            {
                tokens.Add(token.ToUpperInvariant());
                expectId = true;
            }
            else if (expectId && KnownId(token) is { } id)
            {
                tokens.Add(id);
                expectId = false;
            }
            else
            {
                return null;
            }
        }

        return depth == 0 && !expectId ? string.Join(' ', tokens).Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal) : null;
    }

    /// <summary>The license of the classifiers when they name exactly one known license; else null.</summary>
    public static string? FromClassifiers(IEnumerable<string> classifiers)
    {
        List<string> licenses = classifiers.Select(c => Classifiers.GetValueOrDefault(c.Trim())).OfType<string>().Distinct().ToList();
        return licenses.Count == 1 ? licenses[0] : null;
    }

    private static string? KnownId(string token)
    {
        bool orLater = token.EndsWith('+');
        string id = orLater ? token[..^1] : token;
        return KnownIds.TryGetValue(id, out string? known) ? known + (orLater ? "+" : "") : null;
    }
}
