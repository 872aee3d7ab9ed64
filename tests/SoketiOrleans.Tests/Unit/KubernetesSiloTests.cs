using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Silo;
using SoketiOrleans.Silo.Cluster;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// Tests that set the process's own environment variables, which Orleans' Kubernetes hosting reads
/// directly: run alone, so that no server process another test starts meanwhile inherits them.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// What the server's own wiring (<c>Roles.Add</c>) gives a redis-mode silo in a pod: built, not started,
/// so no Redis and no Kubernetes API is reached.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class KubernetesSiloTests
{
    private static readonly Dictionary<string, string> ServerSettings = new()
    {
        ["SOKETI_ADAPTER_DRIVER"] = "redis",
        ["SOKETI_ORLEANS_CLUSTER_ID"] = "blue",
        ["SOKETI_ORLEANS_SERVICE_ID"] = "chat",
    };

    [Fact]
    public async Task In_a_pod_the_silo_is_named_after_it_advertises_its_address_and_keeps_the_servers_cluster_ids()
    {
        // The package's own variables for the ids: the membership key in Redis is named by the server's.
        var environment = new Dictionary<string, string>(KubernetesHostingTests.InPod)
        {
            ["ORLEANS_CLUSTER_ID"] = "other-cluster",
            ["ORLEANS_SERVICE_ID"] = "other-service",
        };

        var silo = await BuildSilo(environment);

        Assert.Equal(new BuiltSilo(
            HasKubernetesAgent: true, "blue", "chat", "soketi-5f7d8c9b4-x2x7k", IPAddress.Parse("10.244.1.7"), IPAddress.Any, IPAddress.Any), silo);
    }

    [Fact]
    public async Task Outside_kubernetes_the_pods_variables_change_nothing()
    {
        var environment = new Dictionary<string, string>(KubernetesHostingTests.InPod);
        environment.Remove("KUBERNETES_SERVICE_HOST");

        var silo = await BuildSilo(environment);

        Assert.False(silo.HasKubernetesAgent);
        Assert.Equal(("blue", "chat"), (silo.ClusterId, silo.ServiceId));
        Assert.NotEqual("soketi-5f7d8c9b4-x2x7k", silo.SiloName);
        Assert.NotEqual(IPAddress.Parse("10.244.1.7"), silo.Advertised);
    }

    private sealed record BuiltSilo(
        bool HasKubernetesAgent, string ClusterId, string ServiceId, string SiloName, IPAddress? Advertised, IPAddress? SiloListening, IPAddress? GatewayListening);

    /// <summary>
    /// Builds the server's silo with exactly these variables of the package's set in the process
    /// environment, reads its options while they are there (options are computed when first read),
    /// then restores the variables.
    /// </summary>
    private static async Task<BuiltSilo> BuildSilo(IReadOnlyDictionary<string, string> environment)
    {
        string[] names = ["KUBERNETES_SERVICE_HOST", "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, environment.GetValueOrDefault(name));
            }

            var builder = WebApplication.CreateBuilder();
            // The connection is only used once the silo starts, which this never does.
            Roles.Add(builder, ConfigLoader.Load([], ServerSettings), new RedisStore(null!, "soketi:"), new ClusterRejoin());
            await using var app = builder.Build();
            var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
            return new BuiltSilo(
                builder.Services.Any(d => d.ImplementationType == typeof(KubernetesClusterAgent)),
                cluster.ClusterId,
                cluster.ServiceId,
                app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName,
                endpoints.AdvertisedIPAddress,
                endpoints.SiloListeningEndpoint?.Address,
                endpoints.GatewayListeningEndpoint?.Address);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
