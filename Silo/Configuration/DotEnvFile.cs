namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// soketi (through dotenv) also reads a <c>.env</c> file in the working directory: <c>KEY=VALUE</c>
/// lines, <c>#</c> comments, optional quotes, an optional <c>export</c>. As in dotenv, variables
/// already in the environment win.
/// </summary>
public static class DotEnvFile
{
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> environment, string path)
    {
        if (!File.Exists(path))
        {
            return environment;
        }

        var merged = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (key, value) in Parse(File.ReadAllLines(path)))
        {
            merged.TryAdd(key, value);
        }

        return merged;
    }

    internal static IEnumerable<KeyValuePair<string, string>> Parse(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=');
            if (line.Length == 0 || line[0] == '#' || equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var comment and >= 0)
            {
                value = value[..comment].TrimEnd();
            }

            yield return KeyValuePair.Create(line[..equals].Trim(), value);
        }
    }
}
