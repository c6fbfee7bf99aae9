using System.Text;

namespace PyContainer.Python.Wheels;

/// <summary>A console or GUI script a wheel's entry_points.txt declares: bin/&lt;Name&gt; runs Module:Attribute.</summary>
internal sealed record EntryPointScript(string Name, string Module, string Attribute);

/// <summary>
/// The [console_scripts] and [gui_scripts] sections of entry_points.txt, and the launcher pip writes for each on
/// Linux (distlib's script template: the venv's interpreter in the shebang, argv[0] cleaned, the exit code passed on).
/// </summary>
internal static class EntryPointScripts
{
    public static List<EntryPointScript> Parse(string text, Func<string, Exception> invalid)
    {
        var scripts = new List<EntryPointScript>();
        string section = "";
        foreach (string raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }

            if (section is not ("console_scripts" or "gui_scripts"))
            {
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? "" : line[..equals].Trim();
            // "module:attr [extra1,extra2]": the extras only mattered to the installer that resolved them.
            string target = equals < 0 ? "" : line[(equals + 1)..].Split('[')[0].Trim();
            int colon = target.IndexOf(':', StringComparison.Ordinal);
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || colon <= 0 || colon == target.Length - 1)
            {
                throw invalid($"the entry point '{line}' in [{section}] is not 'name = module:attribute'");
            }

            scripts.Add(new EntryPointScript(name, target[..colon].Trim(), target[(colon + 1)..].Trim()));
        }

        return scripts;
    }

    /// <summary>The launcher's bytes, as pip writes bin/&lt;name&gt; for <paramref name="script"/>.</summary>
    public static byte[] Launcher(EntryPointScript script, string interpreter)
    {
        string importName = script.Attribute.Split('.')[0];
        string text = $"#!{interpreter}\n"
            + "# -*- coding: utf-8 -*-\n"
            + "import re\n"
            + "import sys\n"
            + $"from {script.Module} import {importName}\n"
            + "if __name__ == '__main__':\n"
            + "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
            + $"    sys.exit({script.Attribute}())\n";
        return Encoding.UTF8.GetBytes(text);
    }
}
