using Microsoft.Extensions.Logging;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// This gateway's sockets of one app with a connection limit. Joins wait for the one grain call in
/// flight, which reports the absolute count held here and asks to admit every socket waiting, so a
/// burst of connects costs one call; closes are reported the same way, coalesced.
/// </summary>
internal sealed partial class AppConnectionQuota
{
    private readonly Lock _gate = new();
    private readonly List<TaskCompletionSource<bool>> _joining = [];
    private readonly CoalescingRunner _runner;
    private readonly IConnectionQuotaGrain _grain;
    private readonly string _appId;
    private readonly string _gatewayId;
    private readonly int _limit;
    private readonly ILogger _logger;
    private int _held;
    private int? _reported;

    public AppConnectionQuota(string appId, IConnectionQuotaGrain grain, string gatewayId, int limit, ILogger logger)
    {
        _appId = appId;
        _grain = grain;
        _gatewayId = gatewayId;
        _limit = limit;
        _logger = logger;
        _runner = new CoalescingRunner(Report);
    }

    /// <returns>Whether the socket was admitted; faults when the grain could not be asked.</returns>
    public Task<bool> Join()
    {
        var admitted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _joining.Add(admitted);
        }

        _runner.Run();
        return admitted.Task;
    }

    public void Leave()
    {
        lock (_gate)
        {
            _held--;
        }

        _runner.Run();
    }

    /// <summary>Repeats the count even if unchanged, for a grain that lost it or would expire it.</summary>
    public void Reassert()
    {
        lock (_gate)
        {
            if (_held == 0 && _reported == 0)
            {
                return;
            }

            _reported = null;
        }

        _runner.Run();
    }

    private async Task Report()
    {
        TaskCompletionSource<bool>[] joining;
        int held;
        lock (_gate)
        {
            held = _held;
            if (_joining.Count == 0 && _reported == held)
            {
                return;
            }

            joining = [.. _joining];
            _joining.Clear();
        }

        int admitted;
        try
        {
            admitted = await _grain.Admit(_gatewayId, held, joining.Length, _limit);
        }
        catch (Exception e)
        {
            LogReportFailed(_logger, e, _appId, held);
            lock (_gate)
            {
                _reported = null;
            }

            Array.ForEach(joining, j => j.TrySetException(e));
            return;
        }

        lock (_gate)
        {
            _held += admitted;
            _reported = held + admitted;
        }

        for (var i = 0; i < joining.Length; i++)
        {
            joining[i].TrySetResult(i < admitted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting {Held} connections of app {AppId} to its quota grain failed")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string appId, int held);
}
