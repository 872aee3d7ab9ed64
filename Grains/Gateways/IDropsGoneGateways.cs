namespace SoketiOrleans.Grains.Gateways;

/// <summary>A grain holding gateways' state that lets go of the gateways found gone (<see cref="LiveGateways.IsGone"/>).</summary>
internal interface IDropsGoneGateways
{
    Task DropGoneGateways(CancellationToken cancellationToken);
}
