using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Health;

/// <summary>
/// The process's resident memory against what it may use: the container's memory limit when there
/// is one (the runtime reads the cgroup), the machine's memory otherwise.
/// </summary>
/// <param name="Used">Resident set size, in bytes.</param>
/// <param name="Total">Memory available to the process, in bytes.</param>
internal readonly record struct MemoryUse(long Used, long Total)
{
    public double Percent => Total > 0 ? Used * 100.0 / Total : 0;

    public static MemoryUse Now() => new(Environment.WorkingSet, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>soketi's <c>/accept-traffic</c> body: <c>{"memory":{"usedSize","totalSize","percentUsage"}}</c>.</summary>
    public byte[] AcceptTrafficJson() => PusherFrame.Json(this, static (w, m) =>
    {
        w.WriteStartObject();
        w.WriteStartObject("memory"u8);
        w.WriteNumber("usedSize"u8, m.Used);
        w.WriteNumber("totalSize"u8, m.Total);
        w.WriteNumber("percentUsage"u8, m.Percent);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>soketi's <c>/usage</c> body: <c>{"memory":{"free","used","total","percent"}}</c>.</summary>
    public byte[] UsageJson() => PusherFrame.Json(this, static (w, m) =>
    {
        w.WriteStartObject();
        w.WriteStartObject("memory"u8);
        w.WriteNumber("free"u8, m.Total - m.Used);
        w.WriteNumber("used"u8, m.Used);
        w.WriteNumber("total"u8, m.Total);
        w.WriteNumber("percent"u8, m.Percent);
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
