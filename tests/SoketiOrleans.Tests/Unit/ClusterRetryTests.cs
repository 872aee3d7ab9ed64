using System.Diagnostics;
using SoketiOrleans.Gateway.Cluster;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// The HTTP API's retries into the cluster: a read whose attempt is never answered (its message lost
/// with a silo that died) is made again; a write's attempt is waited for to the end of the budget.
/// </summary>
public sealed class ClusterRetryTests
{
    [Fact]
    public async Task A_read_whose_attempt_is_never_answered_is_made_again_after_its_attempt_limit()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();

        var answer = await ClusterRetry.Read(() => ++attempts == 1 ? new TaskCompletionSource<int>().Task : Task.FromResult(42));

        Assert.Equal(42, answer);
        Assert.Equal(2, attempts);
        Assert.InRange(clock.Elapsed, ClusterRetry.ReadAttempt, ClusterRetry.Budget - TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_write_whose_attempt_is_never_answered_is_not_made_again_and_fails_at_the_budget()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterRetry.Run(() =>
        {
            attempts++;
            return new TaskCompletionSource<bool>().Task;
        }));

        Assert.Equal(1, attempts);
        Assert.InRange(clock.Elapsed, ClusterRetry.Budget - TimeSpan.FromMilliseconds(500), ClusterRetry.Budget + TimeSpan.FromSeconds(2));
    }
}
