using SoketiOrleans.Gateway.Reassertion;

namespace SoketiOrleans.Tests.Unit;

public sealed class CoalescingRunnerTests
{
    /// <summary>
    /// Orleans gives a call's completion source back to the pool of the thread that reads the answer:
    /// a step run on a thread that never reads answers (an event loop) would leave one in a worker's
    /// pool for every call, for good.
    /// </summary>
    [Fact]
    public async Task A_step_asked_for_on_a_thread_outside_the_pool_runs_on_the_pool()
    {
        var ranOnPool = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new CoalescingRunner(() =>
        {
            ranOnPool.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
            return Task.CompletedTask;
        });
        var loop = new Thread(runner.Run) { IsBackground = true, Name = "not the pool" };

        loop.Start();

        Assert.True(await ranOnPool.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
