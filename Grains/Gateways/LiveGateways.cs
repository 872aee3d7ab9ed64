using Orleans.Runtime.Messaging;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>What grains know of the gateways: how to ask all live ones, and whether one is gone.</summary>
public sealed class LiveGateways
{
    private readonly IClusterMembershipService _membership;
    private readonly GatewayLinks _links;
    private readonly SiloAddress _localSilo;

    public LiveGateways(IClusterMembershipService membership, GatewayLinks links, ILocalSiloDetails localSilo)
    {
        _membership = membership;
        _links = links;
        _localSilo = localSilo.SiloAddress;
    }

    /// <summary>Whether the gateway runs in this silo's process, and so dies with it.</summary>
    public bool IsLocal(string gatewayId) => _localSilo.Equals(GatewayIds.SiloOf(gatewayId));

    /// <summary>
    /// Asks the gateways of every active silo. A silo whose process is gone (the connection is
    /// refused; the membership may not have declared it dead yet) has no gateway to ask. Throws when
    /// a live silo does not answer in time: a grain that cannot hear every live gateway must not
    /// activate (its caller retries), or it would serve without the subscribers of the one it missed.
    /// </summary>
    public async Task<T[]> Ask<T>(Func<IGatewayLink, Task<T[]>> ask)
    {
        var silos = _membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress);
        var answers = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                return await ask(_links.Of(silo));
            }
            catch (Exception e) when (e is OrleansMessageRejectionException or ConnectionFailedException)
            {
                return [];
            }
        }));
        return answers.Length == 1 ? answers[0] : answers.SelectMany(a => a).ToArray();
    }

    /// <summary>Whether the gateway runs in this silo while another silo is active, where what is kept about it would outlive it.</summary>
    public bool CouldMoveAwayFrom(string gatewayId) =>
        IsLocal(gatewayId) && _membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(_localSilo));

    /// <summary>
    /// Whether the gateway is known to be gone: a co-hosted gateway whose silo the membership
    /// declared dead. Only <c>Dead</c> counts: a silo that just joined may not be known here yet.
    /// </summary>
    public bool IsGone(string gatewayId) =>
        GatewayIds.SiloOf(gatewayId) is { } silo && _membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
}
