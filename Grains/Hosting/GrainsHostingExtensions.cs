using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Hosting;

/// <summary>The silo side's only entry point: what every grain needs, without the gateway.</summary>
public static class GrainsHostingExtensions
{
    /// <summary>
    /// Webhook raising and sending. The dispatcher is a hosted service registered here, before the
    /// gateway's, so that it stops after them and can still deliver what their shutdown raised.
    /// </summary>
    public static IServiceCollection AddSoketiGrains(this IServiceCollection services, GrainsOptions options)
    {
        services.AddSingleton(options.Webhooks);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new WebhookDestinations(options.Apps));
        services.AddSingleton<IWebhookQueue, MemoryWebhookQueue>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookClient>();
        services.AddSingleton<IWebhookEvents, WebhookEvents>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WebhookDispatcher>(sp, options.ShutdownGracePeriod));
        return services;
    }
}
