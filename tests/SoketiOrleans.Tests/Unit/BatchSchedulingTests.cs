using System.Diagnostics;
using SoketiOrleans.Silo;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// <see cref="BatchScheduling"/> changes the calling thread only, and only on one CPU; a policy chosen
/// before (an operator's <c>chrt</c>) is kept; an exempted thread (an event loop's) is back on the
/// default. Each case runs on a thread of its own, which ends with it. That the server's later threads
/// take its main thread's policy is <c>Operations/BatchSchedulingTests</c>'.
/// </summary>
public sealed class BatchSchedulingTests
{
    [Fact]
    public void One_cpu_makes_this_thread_batch()
    {
        var (applied, policy) = OnNewThread(() => BatchScheduling.Apply(processorCount: 1));

        Assert.True(applied);
        Assert.Equal(ThreadPolicies.Batch, policy);
    }

    [Fact]
    public void More_cpus_leave_the_default()
    {
        var (applied, policy) = OnNewThread(() => BatchScheduling.Apply(processorCount: 2));

        Assert.False(applied);
        Assert.Equal(ThreadPolicies.Other, policy);
    }

    [Fact]
    public void A_policy_chosen_before_is_kept()
    {
        var (applied, policy) = OnNewThread(() =>
        {
            using (var chrt = Process.Start("chrt", $"--idle --pid 0 {ThreadPolicies.ThisThread().Id}"))
            {
                chrt.WaitForExit();
                Assert.Equal(0, chrt.ExitCode);
            }

            Assert.Equal(ThreadPolicies.Idle, ThreadPolicies.ThisThread().Policy);
            return BatchScheduling.Apply(processorCount: 1);
        });

        Assert.False(applied);
        Assert.Equal(ThreadPolicies.Idle, policy);
    }

    [Fact]
    public void An_exempted_thread_is_back_on_the_default()
    {
        var (applied, policy) = OnNewThread(() =>
        {
            var applied = BatchScheduling.Apply(processorCount: 1);
            Assert.Equal(ThreadPolicies.Batch, ThreadPolicies.ThisThread().Policy);
            BatchScheduling.Exempt();
            return applied;
        });

        Assert.True(applied);
        Assert.Equal(ThreadPolicies.Other, policy);
    }

    /// <returns>What <paramref name="apply"/> returned, and the thread's policy after it.</returns>
    private static (bool Applied, int Policy) OnNewThread(Func<bool> apply)
    {
        (bool, int) result = default;
        Exception? failed = null;
        var thread = new Thread(() =>
        {
            try
            {
                var applied = apply();
                result = (applied, ThreadPolicies.ThisThread().Policy);
            }
            catch (Exception e)
            {
                failed = e;
            }
        });
        thread.Start();
        thread.Join();
        return failed is null ? result : throw new InvalidOperationException("the case failed on its thread", failed);
    }
}
