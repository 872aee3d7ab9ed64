using System.Diagnostics;
using System.Globalization;
using Prometheus;

namespace SoketiOrleans.Silo.Metrics;

/// <summary>
/// The process metrics soketi's Node client exports with its prefix (<c>soketi_process_*</c>,
/// label <c>port</c>), so the process panels of soketi dashboards keep working. Read at each scrape.
/// </summary>
internal static class ProcessMetrics
{
    public static void Register(CollectorRegistry registry, string prefix, int port)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry)
            .WithLabels(new Dictionary<string, string> { ["port"] = port.ToString(CultureInfo.InvariantCulture) });
        var cpuUser = factory.CreateCounter(prefix + "process_cpu_user_seconds_total", "Total user CPU time spent in seconds.");
        var cpuSystem = factory.CreateCounter(prefix + "process_cpu_system_seconds_total", "Total system CPU time spent in seconds.");
        var cpu = factory.CreateCounter(prefix + "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var start = factory.CreateGauge(prefix + "process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        var resident = factory.CreateGauge(prefix + "process_resident_memory_bytes", "Resident memory size in bytes.");
        var virtualMemory = factory.CreateGauge(prefix + "process_virtual_memory_bytes", "Virtual memory size in bytes.");
        var openFds = factory.CreateGauge(prefix + "process_open_fds", "Number of open file descriptors.");
        var heap = factory.CreateGauge(prefix + "dotnet_heap_size_bytes", "Bytes of the managed heap after the last garbage collection.");

        using (var process = Process.GetCurrentProcess())
        {
            start.Set(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        }

        registry.AddBeforeCollectCallback(() =>
        {
            using var process = Process.GetCurrentProcess();
            cpuUser.IncTo(process.UserProcessorTime.TotalSeconds);
            cpuSystem.IncTo(process.PrivilegedProcessorTime.TotalSeconds);
            cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
            resident.Set(process.WorkingSet64);
            virtualMemory.Set(process.VirtualMemorySize64);
            heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            if (OperatingSystem.IsLinux())
            {
                openFds.Set(Directory.EnumerateFileSystemEntries("/proc/self/fd").Count());
            }
        });
    }
}
