using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>
/// Places a grain keyed by a silo's address in that silo, so that it lives and dies with it. A key
/// naming a silo this one does not know as active (not yet, or no longer) is refused rather than
/// placed elsewhere, where it would die with another silo and be found empty in the keyed one's
/// name: the caller (a gateway renewing itself) tries again on its next round.
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
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : Task.FromException<SiloAddress>(new OrleansException($"Silo {silo} is not an active silo here; its roster cannot be placed elsewhere"));
    }
}
