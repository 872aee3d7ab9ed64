using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// An adapter or cluster variable that was read without the <c>SOKETI_</c> prefix, as soketi's docs
/// write them. Kubernetes sets variables of the same shape for every Service (<c>CLUSTER_PORT=tcp://10.0.0.1:11002</c>
/// for one named <c>cluster</c>), so such a value that does not parse is a neighbour's, not the
/// operator's: it is ignored with a warning and <paramref name="Before"/> (the default or the
/// <c>--config</c> file's value) stands.
/// </summary>
/// <param name="Name">The variable as set, e.g. <c>CLUSTER_PORT</c>.</param>
/// <param name="Before">The option's node before the variable was applied; null when it had none.</param>
internal sealed record UnprefixedVariable(string Name, string Raw, JsonNode? Before)
{
    public string Warning(string path, string allowed)
    {
        var group = EnvironmentVariables.UnprefixedGroup(Name) ?? Name;
        return $"{Name}=\"{Raw}\" is ignored: {path} must be {allowed} (Kubernetes sets {group}* variables for a Service named \"{group.TrimEnd('_').ToLowerInvariant()}\"); set {EnvironmentVariables.Prefix}{Name} to override";
    }
}
