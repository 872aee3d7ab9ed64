namespace SoketiOrleans.Bench.Compare;

/// <summary>
/// One side of the comparison (A or B): a name and a shell command that starts a server given
/// <c>--config=FILE</c>. The side tells the two apart even when both run the same command.
/// </summary>
public sealed record Contender(string Side, string Name, string Command)
{
    /// <summary>Parses <c>--a NAME=COMMAND</c> (the command may itself contain '=').</summary>
    public static Contender Parse(Options options, string side)
    {
        var value = options.Required(side);
        var at = value.IndexOf('=');
        if (at <= 0 || at == value.Length - 1)
            throw new UsageException($"--{side} wants NAME=COMMAND, got '{value}'");
        return new Contender(side.ToUpperInvariant(), value[..at], value[(at + 1)..]);
    }
}
