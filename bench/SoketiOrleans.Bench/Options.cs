using System.Globalization;

namespace SoketiOrleans.Bench;

/// <summary>A mistake on the command line: the message is for the person who typed it.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--name value</c> pairs. Every read marks the option as known, so <see cref="RejectUnread"/> catches
/// a misspelt size option before a long run measures the default instead.
/// </summary>
public sealed class Options
{
    private readonly Dictionary<string, string> values;
    private readonly HashSet<string> read = [];

    private Options(Dictionary<string, string> values) => this.values = values;

    public static Options Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new UsageException($"expected --name value, got '{args[i]}'");
            if (!values.TryAdd(args[i][2..], args[i + 1]))
                throw new UsageException($"{args[i]} given twice");
        }
        return new Options(values);
    }

    public string? Optional(string name)
    {
        read.Add(name);
        return values.GetValueOrDefault(name);
    }

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"--{name} is required");

    public string String(string name, string fallback) => Optional(name) ?? fallback;

    public int Int(string name, int fallback) => Optional(name) is { } text ? ParseInt(name, text) : fallback;

    public int RequiredInt(string name) => ParseInt(name, Required(name));

    public void RejectUnread()
    {
        var unknown = values.Keys.Where(k => !read.Contains(k)).Select(k => "--" + k).ToList();
        if (unknown.Count > 0)
            throw new UsageException("unknown option(s) here: " + string.Join(' ', unknown));
    }

    private static int ParseInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new UsageException($"--{name} wants a whole number, got '{text}'");
}
