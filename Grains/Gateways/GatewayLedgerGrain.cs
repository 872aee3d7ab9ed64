using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;
using SoketiOrleans.Hosting;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>
/// Keeps a copy of one gateway's state away from its process, and announces its departure once:
/// when the membership declares its silo dead, or when its lease lapses.
/// </summary>
[AwayFromGatewayPlacement]
public sealed partial class GatewayLedgerGrain(
    LiveGateways gateways, [FromKeyedServices(GatewayLease.Clock)] TimeProvider time, ILogger<GatewayLedgerGrain> logger)
    : Grain, IGatewayLedgerGrain, IGrainMigrationParticipant
{
    private const string EntriesKey = "entries";
    private const string VersionKey = "version";

    /// <summary>Gateways renew every 5 s; three missed renewals and the gateway is taken for gone.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private const int ParallelDepartures = 32;

    private readonly LedgerEntries _entries = new();
    private GatewayLease _lease = null!;
    private bool _departed;

    private string GatewayId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        LogActivated(logger, GatewayId, gateways.IsLocal(GatewayId));
        _lease = new GatewayLease(time, LeaseDuration);
        this.RegisterGrainTimer(Check, new GrainTimerCreationOptions(CheckEvery, CheckEvery) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task<LedgerAnswer> Record(LedgerReport report)
    {
        if (_departed)
        {
            return Task.FromResult(LedgerAnswer.Departed);
        }

        _lease.Renew();
        return Task.FromResult(_entries.Take(report) ? LedgerAnswer.Recorded : LedgerAnswer.NeedsAll);
    }

    private async Task Check(CancellationToken cancellationToken)
    {
        if (_departed)
        {
            return;
        }

        var dead = gateways.IsGone(GatewayId);
        if (!dead && !_lease.Lapsed)
        {
            MoveAwayFromGateway();
            return;
        }

        _departed = true;
        LogDeparted(logger, GatewayId, dead ? "its silo is dead" : "its lease lapsed", _entries.All.Count);
        using var slots = new SemaphoreSlim(ParallelDepartures);
        await Task.WhenAll(_entries.All.Select(async entry =>
        {
            await slots.WaitAsync(CancellationToken.None);
            try
            {
                await Announce(entry);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    /// <summary>
    /// Placed in the gateway's own silo because it was the only one: once another silo is up, the
    /// ledger moves there with what it holds. (Deactivated instead, it held nothing until the
    /// gateway's next report had been answered "send everything" and everything had been sent
    /// again: a gateway that died in those moments, up to its next renewal and two round trips
    /// later, left its sockets' channels and presence members behind.)
    /// </summary>
    private void MoveAwayFromGateway()
    {
        if (gateways.CouldMoveAwayFrom(GatewayId, this.GetGrainId().Type))
        {
            MigrateOnIdle();
        }
    }

    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        dehydrationContext.TryAddValue(EntriesKey, _entries.All.ToArray());
        dehydrationContext.TryAddValue(VersionKey, _entries.Version);
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue<LedgerEntry[]>(EntriesKey, out var entries) && rehydrationContext.TryGetValue<long>(VersionKey, out var version))
        {
            _entries.Restore(entries, version);
        }
    }

    /// <summary>
    /// Tells the entry's grain, retrying while the cluster settles (its grain may be activating on a
    /// survivor, once the dead silo's directory range lease has passed): every second at most, so
    /// that the departure follows within a second of the grain being back (up to 5 s later before,
    /// while its state was already exact), for about as long as before (28 s).
    /// </summary>
    private async Task Announce(LedgerEntry entry)
    {
        var departure = new GatewayDeparture(GatewayId, entry);
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await (entry.Target switch
                {
                    LedgerTarget.Channel => GrainFactory.Grain<IChannelGrain>(entry.Key).Depart(departure),
                    LedgerTarget.User => GrainFactory.Grain<IUserGrain>(entry.Key).Depart(departure),
                    _ => GrainFactory.Grain<IConnectionQuotaGrain>(entry.Key).Depart(departure),
                });
                return;
            }
            catch (Exception e) when (attempt < 30)
            {
                LogAnnounceRetry(logger, e, entry.Target, entry.Key, GatewayId, attempt);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
            catch (Exception e)
            {
                LogAnnounceFailed(logger, e, entry.Target, entry.Key, GatewayId);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The ledger of gateway {GatewayId} is active here (in the gateway's own silo: {InGatewaysSilo})")]
    private static partial void LogActivated(ILogger logger, string gatewayId, bool inGatewaysSilo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} is gone ({Reason}); announcing its departure to {Entries} grains")]
    private static partial void LogDeparted(ILogger logger, string gatewayId, string reason, int entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telling {Target} {Key} that gateway {GatewayId} left failed (attempt {Attempt}); retrying")]
    private static partial void LogAnnounceRetry(ILogger logger, Exception exception, LedgerTarget target, string key, string gatewayId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telling {Target} {Key} that gateway {GatewayId} left failed; giving up")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, LedgerTarget target, string key, string gatewayId);
}
