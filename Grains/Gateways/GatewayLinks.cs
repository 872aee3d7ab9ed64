using Orleans.Runtime.Services;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>Reaches the <see cref="IGatewayLink"/> of a given silo.</summary>
public sealed class GatewayLinks(IServiceProvider services) : GrainServiceClient<IGatewayLink>(services)
{
    public IGatewayLink Of(SiloAddress silo) => GetGrainService(silo);
}
