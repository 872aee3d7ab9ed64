using Microsoft.Extensions.Hosting;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Gateway.Ledger;

/// <summary>
/// Keeps this gateway's ledger grain (<see cref="IGatewayLedgerGrain"/>) current: every change of
/// every other reported state, folded into one call at a time, and the whole state when the ledger
/// asks for it. Sent every <see cref="Reassertion.Reassertion.LeaseRenewal"/> even when nothing
/// changed, which renews the gateway's lease.
/// </summary>
internal sealed class LocalLedger : ReassertedState<LedgerReport, LedgerAnswer>, IHostedService
{
    private readonly Dictionary<ReassertedState, long> _dirty = [];
    private readonly GatewayIdentity _gateway;
    private readonly ICluster _cluster;
    private bool _needsAll = true;
    private long _recorded;

    public LocalLedger(GatewayIdentity gateway, ICluster cluster, Reassertion.Reassertion owner)
        : base(owner)
    {
        _gateway = gateway;
        _cluster = cluster;
        owner.AttachLedger(this, Dirty);
    }

    public override string Name => $"ledger of gateway {_gateway.Id}";

    protected override bool IsEmpty => false;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Reassert();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Dirty(ReassertedState target)
    {
        lock (Gate)
        {
            _dirty[target] = Changed();
        }

        Schedule();
    }

    protected override LedgerReport Snapshot(long version) => _needsAll
        ? new LedgerReport(version, 0, All: true, Entries(Owner.Targets).Where(e => !e.IsEmpty).ToArray())
        : new LedgerReport(version, _recorded, All: false, Entries(_dirty.Keys).ToArray());

    protected override Task<LedgerAnswer> Send(LedgerReport report) => _cluster.RecordLedger(_gateway.Id, report);

    protected override void Acknowledge(LedgerReport report, LedgerAnswer answer)
    {
        if (answer != LedgerAnswer.Recorded)
        {
            _needsAll = true;
            Changed();
            return;
        }

        _recorded = report.Version;
        _needsAll &= !report.All;
        foreach (var (target, changedAt) in _dirty.ToArray())
        {
            if (changedAt <= report.Version)
            {
                _dirty.Remove(target);
            }
        }
    }

    protected override void Acknowledged(LedgerAnswer answer)
    {
        if (answer == LedgerAnswer.Departed)
        {
            // The cluster took this gateway for gone and dropped its state everywhere: report it all again.
            Owner.ReassertAll();
        }
    }

    private static IEnumerable<LedgerEntry> Entries(IEnumerable<ReassertedState> targets) =>
        targets.Select(t => t.LedgerEntry()).OfType<LedgerEntry>();
}
