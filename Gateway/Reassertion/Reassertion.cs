using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SoketiOrleans.Gateway.Reassertion;

/// <summary>
/// The one component through which the gateway reports its state to grains. Every piece of state
/// (a channel's sockets, a user's signed-in sockets, an app's connections, the ledger) is a
/// <see cref="ReassertedState"/> registered here. Everything is sent again once every
/// <see cref="Period"/> (spread over it) and at once when the host sees the cluster lose a silo;
/// the ledger, which carries this gateway's lease, every <see cref="LeaseRenewal"/>.
/// </summary>
public sealed partial class Reassertion(TimeProvider time, ILogger<Reassertion> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(5);

    /// <summary>Rounds per <see cref="Period"/>; each target is re-asserted in one of them.</summary>
    internal static readonly int Rounds = (int)(Period / LeaseRenewal);

    private readonly ConcurrentDictionary<ReassertedState, byte> _targets = new();
    private ReassertedState? _ledger;
    private Action<ReassertedState>? _changed;
    private PeriodicTimer? _timer;
    private long _lastWarning;
    private long _failuresSinceWarning;

    internal TimeSpan FirstRetry { get; init; } = TimeSpan.FromMilliseconds(100);

    internal TimeSpan LastRetry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a report may go unanswered before it counts as failed and is sent again. Orleans
    /// would wait 30 s for a call that reached a silo just before the silo died, holding every later
    /// change of the same state behind it; a report is absolute, so a late answer to one given up on
    /// is harmless.
    /// </summary>
    internal TimeSpan ReportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal TimeProvider Clock => time;

    /// <summary>Waits before a retry; tests see the delays asked for.</summary>
    internal Func<TimeSpan, Task> Delay { get; init; } = delay => Task.Delay(delay, time);

    public int Count => _targets.Count;

    public IEnumerable<ReassertedState> Targets => _targets.Keys.Where(t => t != _ledger);

    /// <summary>Sends every piece of state again: a grain that held some of it may have been lost.</summary>
    public void ReassertAll()
    {
        foreach (var target in _targets.Keys)
        {
            target.Reassert();
        }
    }

    /// <summary>The ledger hears of every change of every other target.</summary>
    internal void AttachLedger(ReassertedState ledger, Action<ReassertedState> changed)
    {
        _ledger = ledger;
        _changed = changed;
    }

    internal void Add(ReassertedState target) => _targets.TryAdd(target, 0);

    internal void Remove(ReassertedState target) => _targets.TryRemove(target, out _);

    internal void Changed(ReassertedState target)
    {
        if (target != _ledger)
        {
            _changed?.Invoke(target);
        }
    }

    /// <summary>
    /// When a silo dies, every report to its grains fails until they are re-activated: one warning
    /// per <see cref="LeaseRenewal"/> with a count, the rest at Debug.
    /// </summary>
    internal void ReportFailed(Exception exception, string name, TimeSpan retryIn)
    {
        var now = time.GetTimestamp();
        var failed = Interlocked.Increment(ref _failuresSinceWarning);
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == 0 || time.GetElapsedTime(last, now) >= LeaseRenewal) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            Interlocked.Add(ref _failuresSinceWarning, -failed);
            LogReportsFailed(logger, exception, failed, name, retryIn.TotalMilliseconds);
        }
        else
        {
            LogReportFailed(logger, exception, name, retryIn.TotalMilliseconds);
        }
    }

    // Made before the background loop runs, so no round is missed while it starts.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(LeaseRenewal, time);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Each round renews the ledger and re-asserts one share of the other targets, so that each is
    /// sent once per <see cref="Period"/> without a burst of every grain call at once.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer!;
        var round = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                round = (round + 1) % Rounds;
                _ledger?.Reassert();
                foreach (var target in Targets)
                {
                    if (RoundOf(target) == round)
                    {
                        target.Reassert();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    internal static int RoundOf(ReassertedState target) => (RuntimeHelpers.GetHashCode(target) & int.MaxValue) % Rounds;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} reports to grains failed since the last warning, the latest of {Target}; retrying in {RetryInMs} ms")]
    private static partial void LogReportsFailed(ILogger logger, Exception exception, long failed, string target, double retryInMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reporting {Target} to its grain failed; retrying in {RetryInMs} ms")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string target, double retryInMs);
}
