using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Runtime.Placement;
using SoketiOrleans.Grains.Channels;
using SoketiOrleans.Grains.Gateways;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Grains.Webhooks.Redis;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Hosting;

/// <summary>The silo side's only entry point: what every grain needs, without the gateway.</summary>
public static class GrainsHostingExtensions
{
    /// <summary>
    /// How grains reach the gateways (each silo's link, the ledger's placement) and webhook raising
    /// and sending. The webhook dispatcher is a hosted service registered here, before the gateway's,
    /// so that it stops after them and can still deliver what their shutdown raised.
    /// </summary>
    /// <param name="redis">The <c>redis</c> mode's store, or null in modes that keep everything in memory.</param>
    public static IServiceCollection AddSoketiGrains(this IServiceCollection services, GrainsOptions options, RedisStore? redis = null)
    {
        if (redis is not null)
        {
            services.AddSingleton(redis);
            services.AddSingleton<ICachedEvents, RedisCachedEvents>();
            services.AddSingleton(RedisWebhookTimes.Defaults);
            services.AddSingleton<IWebhookQueue, RedisWebhookQueue>();
        }
        else
        {
            services.AddSingleton<ICachedEvents, ActivationOnlyCachedEvents>();
            services.AddSingleton<IWebhookQueue, MemoryWebhookQueue>();
        }

        services.AddGrainService<GatewayLink>();
        services.AddSingleton<GatewayLinks>();
        services.AddSingleton<LiveGateways>();
        services.AddPlacementDirector<AwayFromGatewayPlacement, AwayFromGatewayPlacementDirector>();
        services.AddPlacementDirector<InKeyedSiloPlacement, InKeyedSiloPlacementDirector>();
        services.AddSingleton(options);
        services.AddSingleton(options.Webhooks);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(GatewayLease.Clock, TimeProvider.System);
        services.AddSingleton(new WebhookDestinations(options.Apps));
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookClient>();
        services.AddSingleton<IWebhookEvents, WebhookEvents>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WebhookDispatcher>(sp, options.ShutdownGracePeriod));
        return services;
    }
}
