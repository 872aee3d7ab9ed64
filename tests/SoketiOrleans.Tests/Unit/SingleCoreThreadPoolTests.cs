using SoketiOrleans.Silo;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// The thread pool's idle spin is turned off on one CPU only, and never over a value the operator set
/// (runtimeconfig). The setting is the process's: each test puts back what it found. What it saves is
/// measured, not tested (docs/benchmarks.md, "No spinning on one core").
/// </summary>
[Collection(nameof(SingleCoreThreadPoolTests))]
public sealed class SingleCoreThreadPoolTests : IDisposable
{
    private readonly object? _before = AppContext.GetData(SingleCoreThreadPool.SpinLimit);

    public SingleCoreThreadPoolTests() => AppContext.SetData(SingleCoreThreadPool.SpinLimit, null);

    public void Dispose() => AppContext.SetData(SingleCoreThreadPool.SpinLimit, _before);

    [Fact]
    public void One_cpu_turns_the_spin_off()
    {
        SingleCoreThreadPool.Apply(processorCount: 1);

        Assert.Equal(0, AppContext.GetData(SingleCoreThreadPool.SpinLimit));
    }

    [Fact]
    public void Two_cpus_leave_the_runtime_default()
    {
        SingleCoreThreadPool.Apply(processorCount: 2);

        Assert.Null(AppContext.GetData(SingleCoreThreadPool.SpinLimit));
    }

    [Fact]
    public void A_value_the_operator_set_is_kept()
    {
        AppContext.SetData(SingleCoreThreadPool.SpinLimit, "35");

        SingleCoreThreadPool.Apply(processorCount: 1);

        Assert.Equal("35", AppContext.GetData(SingleCoreThreadPool.SpinLimit));
    }
}
