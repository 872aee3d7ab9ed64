using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>
/// This silo's answer to grains rebuilding their state: it asks the gateways attached here (the
/// co-hosted one, registered as <see cref="IGatewayState"/>; none in a silo-only process).
/// </summary>
internal sealed class GatewayLink(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, IServiceProvider services)
    : GrainService(grainId, silo, loggerFactory), IGatewayLink
{
    private IGatewayState[]? _gateways;

    // Resolved on first use: the gateway's services are registered after the silo's.
    private IGatewayState[] Gateways => _gateways ??= services.GetServices<IGatewayState>().ToArray();

    public Task<ChannelReport[]> Channel(string channelKey) => Collect(g => g.Channel(channelKey));

    public Task<UserState[]> User(string userKey) => Collect(g => g.User(userKey));

    public Task<ConnectionReport[]> Connections(string appId) => Collect(g => g.Connections(appId));

    public Task<ChannelShare[]> Channels(string appId) => Task.FromResult(Gateways.SelectMany(g => g.Channels(appId)).ToArray());

    private Task<T[]> Collect<T>(Func<IGatewayState, T?> ask) where T : class =>
        Task.FromResult(Gateways.Select(ask).OfType<T>().ToArray());
}
