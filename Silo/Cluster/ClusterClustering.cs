using System.Net;
using Orleans.Configuration;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// <c>cluster</c> mode: nodes find each other by UDP discovery and keep Orleans' membership table
/// replicated among themselves by Raft; no third-party service. Orleans binds to and advertises
/// <c>cluster.hostname</c>.
/// </summary>
internal static class ClusterClustering
{
    /// <summary>
    /// This incarnation's node and its discovery and consensus services. Called before the silo is
    /// added, so that the node stops after the silo: the silo's last write (its row marked dead)
    /// still goes through Raft before the node leaves the Raft configuration.
    /// </summary>
    public static ClusterNode AddNode(IServiceCollection services, SoketiOptions options, ClusterRejoin rejoin)
    {
        var discovery = options.Discovery!;
        var node = ClusterNode.Create(discovery, options.Orleans.SiloPort, [options.Port, options.Metrics.Port]);
        services.AddSingleton(node);
        services.AddSingleton(discovery);
        services.AddSingleton(rejoin);
        services.AddSingleton(new ClusterKey(discovery.Secret));
        services.AddSingleton<UdpDiscovery>();
        services.AddSingleton<RaftNode>();
        services.AddSingleton<LeaderChannel>();
        services.AddSingleton<ClusterFormation>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterFormation>());
        return node;
    }

    public static void Configure(ISiloBuilder silo, SoketiOptions options, ClusterNode node)
    {
        silo.Services.AddSingleton<IMembershipTable, RaftMembershipTable>();
        silo.Services.AddSingleton<IFatalErrorHandler, RejoiningFatalErrorHandler>();
        silo.Configure<ClusterOptions>(o =>
        {
            // Another prefix is another cluster, down to Orleans' handshake.
            o.ClusterId = options.Orleans.ClusterId + options.Discovery!.Prefix;
            o.ServiceId = options.Orleans.ServiceId;
        });
        silo.Configure<SiloOptions>(o => o.SiloName = node.SiloName);
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = node.Address;
            o.SiloPort = node.SiloPort;
            o.SiloListeningEndpoint = new IPEndPoint(node.Listen, node.SiloPort);
            o.GatewayPort = 0;
        });
    }
}
