namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// Outlives the process's incarnations in <c>cluster</c> mode. A node cut off from the majority, or
/// declared dead by it, stops serving and starts again as a new node that joins the cluster once it
/// is reachable. Having been a member, it never founds a cluster of its own: that would be a second
/// cluster accepting writes next to the one it lost.
/// </summary>
public sealed class ClusterRejoin
{
    private volatile string? _reason;

    /// <summary>False once this process has been a member of a cluster.</summary>
    public bool MayFound { get; private set; } = true;

    /// <summary>Why the current incarnation ends; null while it serves.</summary>
    public string? Reason => _reason;

    public void Joined() => MayFound = false;

    /// <returns>True for the first request of an incarnation.</returns>
    public bool Request(string reason) => Interlocked.CompareExchange(ref _reason, reason, null) is null;

    /// <summary>Called between incarnations.</summary>
    public void Reset() => _reason = null;
}
