namespace SoketiOrleans.Gateway.Cluster;

/// <summary>
/// Retries a call into the cluster for as long as an HTTP request may reasonably wait: when a silo
/// dies, its grains answer again once the membership has declared it dead and a survivor has
/// re-activated them (a few seconds with this server's failure detection). Past the budget the
/// caller answers 503 so the backend's SDK can retry (a call still pending then may yet complete: a
/// 503 means "not known to be delivered", never "not delivered").
/// </summary>
public static class ClusterRetry
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(1);

    public static async Task Run(Func<Task> call) => await Run(async () =>
    {
        await call();
        return true;
    });

    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        var started = Environment.TickCount64;
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                // A call Orleans holds (its own timeout is 30 s) must not outlast the budget either.
                var left = Budget - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                return await call().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (Exception) when (Environment.TickCount64 - started + delay.TotalMilliseconds < Budget.TotalMilliseconds)
            {
                await Task.Delay(delay);
                delay = delay * 2 < LastRetry ? delay * 2 : LastRetry;
            }
            catch (Exception e)
            {
                throw new ClusterUnavailableException(e);
            }
        }
    }
}

/// <summary>The cluster could not answer within <see cref="ClusterRetry.Budget"/>.</summary>
public sealed class ClusterUnavailableException(Exception inner)
    : Exception("The cluster could not be reached: " + inner.Message, inner);
