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

    /// <summary>
    /// How long one attempt of a read may wait before it is made again. A call whose message was lost
    /// with a silo that died may be held by Orleans until its own 30 s timeout, and a read would then
    /// wait out the whole budget and answer 503 although its grain is back within seconds. A read can
    /// be made twice; a write is not abandoned this way (it may still be carried out).
    /// </summary>
    public static readonly TimeSpan ReadAttempt = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(1);

    public static async Task Run(Func<Task> call) => await Run(async () =>
    {
        await call();
        return true;
    });

    public static Task<T> Run<T>(Func<Task<T>> call) => Run(call, Budget);

    /// <summary>As <see cref="Run{T}(Func{Task{T}})"/>, each attempt abandoned and made again after <see cref="ReadAttempt"/>.</summary>
    public static Task<T> Read<T>(Func<Task<T>> call) => Run(call, ReadAttempt);

    private static async Task<T> Run<T>(Func<Task<T>> call, TimeSpan attemptLimit)
    {
        var started = Environment.TickCount64;
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                // A call Orleans holds (its own timeout is 30 s) must not outlast the budget either.
                var left = Budget - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                var limit = left < attemptLimit ? left : attemptLimit;
                return await call().WaitAsync(limit > TimeSpan.Zero ? limit : TimeSpan.Zero);
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
