namespace SoketiOrleans.Silo.Configuration;

/// <summary>Start-up stops with this: every message names the key, its env var, the value and what is allowed.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
