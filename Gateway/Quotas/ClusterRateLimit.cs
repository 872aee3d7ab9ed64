using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// One app's limit of one kind on this gateway. Takes are answered from the local
/// <see cref="TokenLease"/> when it can; the others wait for the one grain call in flight, which
/// asks for what all of them need plus the next batch. Once the window is known to be spent,
/// refusals are local too, so a flood costs the grain nothing.
/// </summary>
internal sealed partial class ClusterRateLimit
{
    private readonly Lock _gate = new();
    private readonly List<(int Points, TaskCompletionSource<bool> Answer)> _waiting = [];
    private readonly TokenLease _lease;
    private readonly CoalescingRunner _runner;
    private readonly ICluster _cluster;
    private readonly ILogger _logger;
    private readonly string _key;

    public ClusterRateLimit(string key, int limit, ICluster cluster, ILogger logger)
    {
        _key = key;
        Limit = limit;
        _lease = new TokenLease(limit);
        _cluster = cluster;
        _logger = logger;
        _runner = new CoalescingRunner(Lease);
    }

    public int Limit { get; }

    /// <returns>Whether the points may be spent; faults when the grain could not be asked.</returns>
    public Task<bool> TryTake(int points)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var now = Environment.TickCount64;
            switch (_lease.TryTake(points, now))
            {
                case TokenLease.Answer.Refused:
                    return Task.FromResult(false);
                case TokenLease.Answer.Taken when !_lease.Low(now):
                    return Task.FromResult(true);
                case TokenLease.Answer.Taken:
                    answer.SetResult(true);
                    break;
                default:
                    _waiting.Add((points, answer));
                    break;
            }
        }

        _runner.Run();
        return answer.Task;
    }

    private async Task Lease()
    {
        int wanted;
        long askedAt;
        lock (_gate)
        {
            askedAt = Environment.TickCount64;
            wanted = _lease.Wanted(_waiting.Sum(w => w.Points), askedAt);
        }

        if (wanted == 0)
        {
            return;
        }

        RateLease lease;
        try
        {
            lease = await _cluster.LeaseTokens(_key, wanted, Limit);
        }
        catch (Exception e)
        {
            LogLeaseFailed(_logger, e, _key);
            Answer(w => w.Answer.TrySetException(e));
            return;
        }

        Answer(w =>
        {
            switch (_lease.TryTake(w.Points, Environment.TickCount64))
            {
                case TokenLease.Answer.Taken:
                    return w.Answer.TrySetResult(true);
                case TokenLease.Answer.Refused:
                    return w.Answer.TrySetResult(false);
                default:
                    return false;
            }
        }, lease, askedAt);
    }

    /// <summary>Settles the waiting takes that <paramref name="settle"/> answers; the rest wait for the next lease.</summary>
    private void Answer(Func<(int Points, TaskCompletionSource<bool> Answer), bool> settle, RateLease? lease = null, long askedAt = 0)
    {
        bool stillWaiting;
        lock (_gate)
        {
            if (lease is not null)
            {
                _lease.Granted(lease, askedAt, Environment.TickCount64);
            }

            _waiting.RemoveAll(w => settle(w));
            stillWaiting = _waiting.Count > 0;
        }

        if (stillWaiting)
        {
            _runner.Run();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leasing tokens of rate limit {RateLimitKey} failed")]
    private static partial void LogLeaseFailed(ILogger logger, Exception exception, string rateLimitKey);
}
