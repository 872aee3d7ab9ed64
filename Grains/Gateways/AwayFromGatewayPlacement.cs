using Orleans.Placement;
using Orleans.Runtime.Placement;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>
/// Places a grain keyed by a gateway id in any silo but the gateway's own, so that what it keeps
/// about the gateway survives the gateway's process. With one silo there is no choice.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("so.AwayFromGatewayPlacement")]
public sealed class AwayFromGatewayPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class AwayFromGatewayPlacementAttribute() : PlacementAttribute(new AwayFromGatewayPlacement());

internal sealed class AwayFromGatewayPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var gatewaySilo = GatewayIds.SiloOf(target.GrainIdentity.Key.ToString()!);
        var others = silos.Where(s => !s.Equals(gatewaySilo)).OrderBy(s => s).ToArray();
        var pool = others.Length > 0 ? others : silos;
        return Task.FromResult(pool[target.GrainIdentity.GetUniformHashCode() % (uint)pool.Length]);
    }
}
