using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Hosting;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>What grains know of the gateways: how to ask all live ones, and whether one is gone.</summary>
public sealed class LiveGateways
{
    private readonly IClusterMembershipService _membership;
    private readonly IClusterManifestProvider _manifest;
    private readonly GatewayLinks _links;
    private readonly IGrainFactory _grains;
    private readonly SiloAddress _localSilo;
    private readonly bool _clientGateways;

    private readonly IServiceProvider _services;
    private IGatewayObserver? _inProcess;

    public LiveGateways(
        IClusterMembershipService membership, IClusterManifestProvider manifest, GatewayLinks links, IGrainFactory grains, ILocalSiloDetails localSilo, GrainsOptions options, IServiceProvider services)
    {
        _services = services;
        _clientGateways = options.ClientGateways;
        _membership = membership;
        _manifest = manifest;
        _links = links;
        _grains = grains;
        _localSilo = localSilo.SiloAddress;
    }

    /// <summary>Whether the gateway runs in this silo's process, and so dies with it.</summary>
    public bool IsLocal(string gatewayId) => _localSilo.Equals(GatewayIds.SiloOf(gatewayId));

    /// <summary>
    /// The gateway's own object when it runs in this process: a delivery handed to it directly
    /// arrives in the order it was made (no Orleans message to copy, queue and schedule); null for
    /// a gateway elsewhere. Resolved on first use: the gateway's services are registered after the silo's.
    /// </summary>
    public IGatewayObserver? InProcess(string gatewayId) => IsLocal(gatewayId) ? CoHosted() : null;

    private IGatewayObserver? CoHosted() => _inProcess ??= _services.GetKeyedService<IGatewayObserver>(GatewayIds.InProcess);

    /// <summary>
    /// Asks every live gateway: those co-hosted with a silo through each active silo's link (this
    /// silo's own directly, <see cref="AskSilo"/>), the Orleans-client gateways directly, found in the
    /// silos' rosters. A silo whose process is gone
    /// (the connection is refused; the membership may not have declared it dead yet) has no gateway
    /// to ask. Throws when a live silo does not answer in time: a grain that cannot hear every live
    /// gateway must not activate (its caller retries), or it would serve without the subscribers of
    /// the one it missed. A client gateway that does not answer is left out instead: a dead one stays
    /// in the rosters for seconds, and would fail every activation meanwhile; a live one re-asserts.
    /// </summary>
    public async Task<T[]> Ask<T>(Func<IGatewayLink, Task<T[]>> askSilo, Func<IGatewayObserver, Task<T[]>> askClient)
    {
        var silos = ActiveSilos();
        var fromSilos = Task.WhenAll(silos.Select(silo => Tolerate(() => AskSilo(silo, askSilo, askClient), refusedOnly: true)));
        if (!_clientGateways)
        {
            return (await fromSilos).SelectMany(a => a).ToArray();
        }

        var clients = (await Task.WhenAll(silos.Select(silo => Tolerate(() => _grains.GetGrain<IGatewayRosterGrain>(silo.ToParsableString()).Live(), refusedOnly: false))))
            .SelectMany(c => c).Distinct().ToArray();
        var fromClients = await Task.WhenAll(clients.Select(client => Tolerate(() => askClient(client), refusedOnly: false)));
        return (await fromSilos).Concat(fromClients).SelectMany(a => a).ToArray();
    }

    /// <summary>
    /// The gateway co-hosted with this silo is asked directly: through this silo's own link the
    /// question and the answer would only be copied and queued as Orleans messages, which every
    /// activation (a channel's first subscribe) waited for. Asked on the thread pool, as the link
    /// answers, so the gateway's code never runs on the grain's scheduler.
    /// </summary>
    private Task<T[]> AskSilo<T>(SiloAddress silo, Func<IGatewayLink, Task<T[]>> askSilo, Func<IGatewayObserver, Task<T[]>> askClient) =>
        silo.Equals(_localSilo) && CoHosted() is { } coHosted ? Task.Run(() => askClient(coHosted)) : askSilo(_links.Of(silo));

    private SiloAddress[] ActiveSilos() =>
        _membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();

    private static async Task<T[]> Tolerate<T>(Func<Task<T[]>> ask, bool refusedOnly)
    {
        try
        {
            return await ask();
        }
        catch (Exception e) when (e is OrleansMessageRejectionException or ConnectionFailedException || !refusedOnly && e is TimeoutException or OrleansException)
        {
            return [];
        }
    }

    /// <summary>
    /// Whether the gateway runs in this silo while another silo is active and could host
    /// <paramref name="grainType"/>, where what is kept about the gateway would outlive it. A silo
    /// counts once the cluster manifest lists the type there, as placement does: a silo just
    /// declared active is not in the manifest yet, placement would choose this silo again, and a
    /// migration to this silo deactivates the grain instead, losing what it kept.
    /// </summary>
    public bool CouldMoveAwayFrom(string gatewayId, GrainType grainType) =>
        IsLocal(gatewayId) && _membership.CurrentSnapshot.Members.Values.Any(m =>
            m.Status == SiloStatus.Active && !m.SiloAddress.Equals(_localSilo)
            && _manifest.Current.Silos.TryGetValue(m.SiloAddress, out var hosted) && hosted.Grains.ContainsKey(grainType));

    /// <summary>
    /// A grain's check for gateways it holds state of that are <see cref="IsGone"/>, in case their
    /// ledger could not say so: every 10 s, interleaved with the grain's calls.
    /// </summary>
    public static readonly GrainTimerCreationOptions GoneCheck = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)) { Interleave = true };

    /// <summary>
    /// Whether <see cref="IsGone"/> can ever be true for the gateway: a co-hosted gateway of another
    /// silo. One of this silo dies with whatever keeps track of it here.
    /// </summary>
    public bool CanBeGone(string gatewayId) =>
        GatewayIds.SiloOf(gatewayId) is { } silo && !silo.Equals(_localSilo);

    /// <summary>
    /// The grain's <see cref="GoneCheck"/>, started once a gateway that <see cref="CanBeGone"/> holds
    /// state there: <paramref name="check"/> when it runs already, null while none could be found gone,
    /// so a single process keeps no timer per grain.
    /// </summary>
    internal IGrainTimer? WatchIfElsewhere<TGrain>(TGrain grain, IGrainTimer? check, string gatewayId)
        where TGrain : IGrainBase, IDropsGoneGateways =>
        check ?? (CanBeGone(gatewayId) ? grain.RegisterGrainTimer(static (g, token) => g.DropGoneGateways(token), grain, GoneCheck) : null);

    /// <summary>
    /// Whether the gateway is known to be gone: a co-hosted gateway whose silo the membership
    /// declared dead. Only <c>Dead</c> counts: a silo that just joined may not be known here yet.
    /// </summary>
    public bool IsGone(string gatewayId) =>
        GatewayIds.SiloOf(gatewayId) is { } silo && _membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
}
