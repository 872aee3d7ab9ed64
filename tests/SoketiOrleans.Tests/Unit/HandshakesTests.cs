using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Tests.Unit;

/// <summary>New WebSockets' handshakes run in a queue of their own, a few steps at a time; what follows them does not.</summary>
public sealed class HandshakesTests
{
    [Fact]
    public void At_most_four_handshake_steps_per_processor_run_at_once() =>
        Assert.Equal(4 * Environment.ProcessorCount, Handshakes.Scheduler.MaximumConcurrencyLevel);

    [Fact]
    public async Task Every_step_of_a_handshake_runs_in_the_queue_and_its_caller_continues_outside_it()
    {
        // On the thread pool, as the listener runs connections: no test framework's context to return to.
        var (steps, after) = await Task.Run(async () =>
        {
            var steps = await Handshakes.Run(async () =>
            {
                var first = TaskScheduler.Current;
                await Task.Yield();
                var second = TaskScheduler.Current;
                await Task.Delay(1);
                return new[] { first, second, TaskScheduler.Current };
            });
            return (steps, TaskScheduler.Current);
        });

        Assert.All(steps, s => Assert.Same(Handshakes.Scheduler, s));
        Assert.Same(TaskScheduler.Default, after);
    }
}
