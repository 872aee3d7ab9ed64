using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// This gateway's sockets of one app with a connection limit. Each report carries the absolute
/// count held here and asks to admit every socket waiting, so a burst of connects costs one call;
/// closes are reported the same way, folded together.
/// </summary>
internal sealed class AppConnectionQuota(string appId, int limit, GatewayIdentity gateway, ICluster cluster, Reassertion.Reassertion reassertion)
    : ReassertedState<(ConnectionReport Report, int Joining), int>(reassertion)
{
    private readonly Queue<TaskCompletionSource<bool>> _joining = new();
    private int _held;
    private ConnectionReport? _acknowledged;

    public override string Name => $"connections of app {appId}";

    protected override bool IsEmpty => false; // one per app with a limit, for the gateway's lifetime

    /// <returns>Whether the socket was admitted; throws <see cref="TimeoutException"/> when the grain did not answer in time.</returns>
    public async Task<bool> Join(TimeSpan timeout)
    {
        var admitted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Gate)
        {
            _joining.Enqueue(admitted);
            Changed();
        }

        Schedule();
        using var expiry = new CancellationTokenSource(timeout);
        using var expired = expiry.Token.Register(() => admitted.TrySetException(new TimeoutException("The connection quota grain did not answer in time.")));
        return await admitted.Task;
    }

    public void Leave()
    {
        lock (Gate)
        {
            _held--;
            Changed();
        }

        Schedule();
    }

    /// <summary>What the grain had acknowledged, for a new activation of it; null when this gateway holds none.</summary>
    public ConnectionReport? ForNewActivation()
    {
        lock (Gate)
        {
            return _acknowledged is { Held: > 0 } acknowledged ? acknowledged : null;
        }
    }

    public override LedgerEntry? LedgerEntry()
    {
        lock (Gate)
        {
            return new LedgerEntry(LedgerTarget.Connections, appId, _held);
        }
    }

    protected override (ConnectionReport Report, int Joining) Snapshot(long version) =>
        (new ConnectionReport(gateway.Id, version, _held), _joining.Count);

    protected override Task<int> Send((ConnectionReport Report, int Joining) report) =>
        cluster.AdmitConnections(appId, report.Report, report.Joining, limit);

    protected override void Acknowledge((ConnectionReport Report, int Joining) report, int admitted)
    {
        _acknowledged = report.Report with { Held = report.Report.Held + admitted };
        for (var i = 0; i < report.Joining; i++)
        {
            var joining = _joining.Dequeue();
            var admit = i < admitted;
            if (admit)
            {
                _held++;
            }

            if (!joining.TrySetResult(admit) && admit)
            {
                _held--; // the socket stopped waiting: give its place back
                Changed();
            }
        }
    }
}
