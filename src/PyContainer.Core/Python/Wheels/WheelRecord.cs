using System.Security.Cryptography;
using System.Text;

namespace PyContainer.Python.Wheels;

/// <summary>One row of a RECORD file: a path (relative to the install root), "sha256=&lt;urlsafe base64&gt;" and a size.</summary>
internal sealed record RecordRow(string Path, string Hash, string Size);

/// <summary>
/// RECORD files as the "recording installed projects" spec writes them: CSV rows of path, hash, size; the hash is
/// "sha256=" + URL-safe base64 without '=' padding.
/// </summary>
internal static class WheelRecord
{
    public static List<RecordRow> Parse(string text)
    {
        var rows = new List<RecordRow>();
        foreach (string line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            List<string> fields = SplitCsv(line);
            rows.Add(new RecordRow(fields[0], fields.Count > 1 ? fields[1] : "", fields.Count > 2 ? fields[2] : ""));
        }

        return rows;
    }

    /// <summary>RECORD's bytes for <paramref name="rows"/>, in the given order, LF endings, quoting as Python's csv module.</summary>
    public static byte[] Write(IEnumerable<RecordRow> rows)
    {
        var text = new StringBuilder();
        foreach (RecordRow row in rows)
        {
            text.Append(Quote(row.Path)).Append(',').Append(Quote(row.Hash)).Append(',').Append(Quote(row.Size)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>"sha256=..." for <paramref name="sha256"/> digest bytes.</summary>
    public static string HashField(byte[] sha256) => "sha256=" + Convert.ToBase64String(sha256).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>"sha256=..." of <paramref name="content"/>.</summary>
    public static string HashOf(byte[] content) => HashField(SHA256.HashData(content));

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
