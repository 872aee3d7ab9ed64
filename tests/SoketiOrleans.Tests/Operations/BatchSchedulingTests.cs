using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// On one CPU (<c>DOTNET_PROCESSOR_COUNT=1</c>, what a container limited to one core reports) the
/// server's own threads run as <c>SCHED_BATCH</c>, its thread-pool workers included, and its event
/// loops as Linux's default; with more CPUs, every thread as the default. What it saves is measured,
/// not tested (docs/robustness.md, "The socket flood").
/// </summary>
public sealed class BatchSchedulingTests
{
    [Theory]
    [InlineData("1", ThreadPolicies.Batch)]
    [InlineData("2", ThreadPolicies.Other)]
    public async Task The_servers_threads_but_its_event_loops_run_as_batch_on_one_cpu_only(string processors, int policy)
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = processors });

        var threads = ThreadPolicies.Of(server.Pid);
        Assert.Equal(policy, threads.Single(t => t.Id == server.Pid).Policy);
        var workers = threads.Where(t => t.Name == ".NET TP Worker").ToList();
        Assert.NotEmpty(workers);
        Assert.All(workers, t => Assert.Equal(policy, t.Policy));
        var loops = threads.Where(t => t.Name.StartsWith("event loop ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(loops);
        Assert.All(loops, t => Assert.Equal(ThreadPolicies.Other, t.Policy));
    }
}
