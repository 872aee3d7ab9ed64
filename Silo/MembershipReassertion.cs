using SoketiOrleans.Gateway.Reassertion;

namespace SoketiOrleans.Silo;

/// <summary>
/// The co-hosted gateway re-asserts everything at once when the membership declares a silo dead:
/// the grains that lived there are re-activated on the survivors (and ask the gateways
/// themselves); this makes sure nothing waits for the next periodic round.
/// </summary>
internal sealed class MembershipReassertion(IClusterMembershipService membership, Reassertion reassertion) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                // Silos that died before this one started are in the first snapshot too; re-asserting then costs nothing.
                if (snapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)) > 0)
                {
                    reassertion.ReassertAll();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
