using System.Net;
using Orleans.Configuration;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// Orleans' Kubernetes hosting for a silo of the <c>redis</c> mode that runs in a pod which was told
/// its name and namespace (the Downward API's <c>POD_NAME</c>, <c>POD_NAMESPACE</c>): the silo is named
/// after its pod, and a pod that Kubernetes deletes has its silo declared dead at once instead of after
/// missed probes. It needs a Role that lets the pod read, watch, list and label pods (see
/// deploy/kubernetes): without one the package retries forever and the silo never starts, which is why
/// it is not turned on by <c>KUBERNETES_SERVICE_HOST</c> alone.
/// </summary>
/// <remarks>
/// Not in <c>local</c> mode (one process is the whole cluster: nothing to reconcile) nor in
/// <c>cluster</c> mode, whose silos are named after their Raft nodes, the names its formation matches
/// the membership table by; the package would rename them after the pod.
/// </remarks>
internal static class KubernetesHosting
{
    /// <param name="Ip">The Downward API's <c>POD_IP</c>; null when not given or not an address.</param>
    public sealed record Pod(string Name, string Namespace, IPAddress? Ip);

    /// <returns>The pod this silo runs in, or null when Kubernetes hosting stays off.</returns>
    public static Pod? Detect(SoketiOptions options, IReadOnlyDictionary<string, string> environment)
    {
        if (options.Role == ServerRole.Server || options.Redis is null
            || Value(environment, "KUBERNETES_SERVICE_HOST") is null
            || Value(environment, "POD_NAME") is not { } name
            || Value(environment, "POD_NAMESPACE") is not { } podNamespace)
        {
            return null;
        }

        return new Pod(name, podNamespace, IPAddress.TryParse(Value(environment, "POD_IP"), out var ip) ? ip : null);
    }

    /// <summary>
    /// Call before the clustering is configured: the cluster and service ids it sets afterwards (they
    /// name the membership key in Redis) then win over the package's <c>ORLEANS_CLUSTER_ID</c> and
    /// <c>ORLEANS_SERVICE_ID</c>.
    /// </summary>
    public static void Configure(ISiloBuilder silo, Pod pod, SoketiOptions options)
    {
        silo.UseKubernetesHosting();
        if (pod.Ip is { } ip && Ports.ListenAddress(options.Host).Equals(IPAddress.Any))
        {
            // A silo listening on every address advertises the first one the resolver gives; the pod's
            // own address is the one the other pods reach.
            silo.Services.PostConfigure<EndpointOptions>(o => o.AdvertisedIPAddress = ip);
        }
    }

    private static string? Value(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
