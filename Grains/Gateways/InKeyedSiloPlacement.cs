using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>
/// Places a grain keyed by a silo's address in that silo, so that it lives and dies with it. A key
/// naming a silo that is not (or no longer) compatible places the grain here; nobody asks it.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("so.InKeyedSiloPlacement")]
public sealed class InKeyedSiloPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class InKeyedSiloPlacementAttribute() : PlacementAttribute(new InKeyedSiloPlacement());

internal sealed class InKeyedSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silo = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString()!);
        return Task.FromResult(context.GetCompatibleSilos(target).Contains(silo) ? silo : context.LocalSilo);
    }
}
