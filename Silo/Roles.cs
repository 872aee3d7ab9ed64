using System.Net;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Gateway.Webhooks;
using SoketiOrleans.Gateways;
using SoketiOrleans.Silo.Cluster;
using SoketiOrleans.Grains.Hosting;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Silo.Configuration;
using SoketiOrleans.Silo.Redis;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Silo;

/// <summary>
/// soketi's <c>mode</c>: <c>full</c> runs a silo and the gateway in one process, <c>worker</c> a silo
/// alone, <c>server</c> the gateway alone as an Orleans client. Any mix joins one cluster.
/// </summary>
internal static class Roles
{
    public static void Add(WebApplicationBuilder builder, SoketiOptions options, RedisStore? redis, ClusterRejoin rejoin)
    {
        if (options.Role != ServerRole.Server)
        {
            AddSilo(builder, options, redis, rejoin);
        }

        switch (options.Role)
        {
            case ServerRole.Full:
                // Co-hosted: the gateway is named after its silo, whose death in the membership is the gateway's death.
                builder.Services.AddSingleton(sp => new GatewayIdentity(GatewayIds.ForSilo(sp.GetRequiredService<ILocalSiloDetails>().SiloAddress)));
                builder.Services.AddSoketiGateway(options.Gateway, WarmUpTarget(options));
                builder.Services.AddHostedService<MembershipReassertion>();
                break;
            case ServerRole.Server:
                AddClient(builder, options, redis!);
                break;
        }
    }

    public static void Map(WebApplication app, SoketiOptions options)
    {
        if (options.Role == ServerRole.Worker)
        {
            WorkerEndpoints.Map(app, options.Gateway.PathPrefix);
        }
        else
        {
            app.MapSoketiGateway();
        }
    }

    /// <summary>The server's port as this process reaches it: on loopback when it listens on every address.</summary>
    private static WarmUpTarget WarmUpTarget(SoketiOptions options)
    {
        var address = Ports.ListenAddress(options.Host);
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        var scheme = options.Tls is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new WarmUpTarget(new UriBuilder(scheme, address.ToString(), options.Port, options.Gateway.PathPrefix + "/").Uri);
    }

    private static void AddSilo(WebApplicationBuilder builder, SoketiOptions options, RedisStore? redis, ClusterRejoin rejoin)
    {
        var node = options.Discovery is not null ? ClusterClustering.AddNode(builder.Services, options, rejoin) : null;
        var pod = KubernetesHosting.Detect(options, ConfigLoader.ProcessEnvironment());
        builder.UseOrleans(silo =>
        {
            if (pod is not null)
            {
                KubernetesHosting.Configure(silo, pod, options);
            }

            if (node is not null)
            {
                ClusterClustering.Configure(silo, options, node);
            }
            else if (redis is null)
            {
                LocalClustering.Configure(silo, options.Orleans);
            }
            else
            {
                RedisClustering.Configure(silo, options, redis);
            }

            Failover.Configure(silo);
        });
        builder.Services.AddSoketiGrains(options.Grains with { ClientGateways = redis is not null }, redis);
    }

    private static void AddClient(WebApplicationBuilder builder, SoketiOptions options, RedisStore redis)
    {
        builder.UseOrleansClient(client =>
        {
            RedisClustering.Configure(client, options, redis);
            // A new silo is used within a second (one read of the membership hash per second): when
            // the old silos go soon after, a gateway that knew only them would be cut off. A start-up
            // before any silo waits for one.
            client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.UseConnectionRetryFilter<RetryUntilStopped>();
            // A silo this gateway was connected to is gone: its grains are being rebuilt elsewhere.
            client.AddGatewayCountChangedHandler(sp => (_, e) =>
            {
                if (e.NumberOfConnectedGateways < e.PreviousNumberOfConnectedGateways)
                {
                    sp.GetRequiredService<Reassertion>().ReassertAll();
                }
            });
        });
        builder.Services.AddSingleton<IWebhookEvents>(sp => ActivatorUtilities.CreateInstance<RelayedWebhookEvents>(sp, options.Apps));
        builder.Services.AddSoketiClientGateway(options.Gateway, WarmUpTarget(options));
    }
}
