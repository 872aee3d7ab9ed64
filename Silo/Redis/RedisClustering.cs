using Orleans.Clustering.Redis;
using Orleans.Configuration;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Redis;

/// <summary>
/// <c>redis</c> mode's membership: Orleans' Redis clustering over the process's one connection, its
/// table under the deployment's key root (so two prefixes on one Redis are two clusters). Silos and
/// Orleans clients (<c>server</c> processes) read the same table: clients find the silos' gateway
/// ports there.
/// </summary>
internal static class RedisClustering
{
    public static void Configure(ISiloBuilder silo, SoketiOptions options, RedisStore redis)
    {
        silo.UseRedisClustering(o => Table(o, options, redis));
        silo.ConfigureServices(services =>
        {
            var table = services.Last(d => d.ServiceType == typeof(IMembershipTable));
            services.Remove(table);
            services.AddSingleton<IMembershipTable>(sp => ActivatorUtilities.CreateInstance<RestoringMembershipTable>(
                sp, table.ImplementationFactory!(sp), MembershipKey(redis, options.Orleans), redis.Database, sp.GetRequiredService<ILocalSiloDetails>().SiloAddress));
        });
        silo.Configure<ClusterOptions>(o => Identity(o, options.Orleans));
        SiloEndpoints.Configure(silo, options);
    }

    public static void Configure(IClientBuilder client, SoketiOptions options, RedisStore redis)
    {
        client.UseRedisClustering(o => Table(o, options, redis));
        client.Configure<ClusterOptions>(o => Identity(o, options.Orleans));
    }

    private static void Table(RedisClusteringOptions o, SoketiOptions options, RedisStore redis)
    {
        o.ConfigurationOptions = RedisConnector.Configuration(options.Redis!);
        o.CreateMultiplexer = _ => Task.FromResult((redis.Connection, true));
        o.CreateRedisKey = _ => MembershipKey(redis, options.Orleans);
    }

    private static StackExchange.Redis.RedisKey MembershipKey(RedisStore redis, OrleansOptions orleans) =>
        redis.Key($"members:{orleans.ServiceId}:{orleans.ClusterId}");

    private static void Identity(ClusterOptions o, OrleansOptions orleans)
    {
        o.ClusterId = orleans.ClusterId;
        o.ServiceId = orleans.ServiceId;
    }
}
