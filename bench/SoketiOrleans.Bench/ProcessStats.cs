using System.Diagnostics;

namespace SoketiOrleans.Bench;

/// <summary>CPU time of the generator and the server at one instant, to turn two of them into core fractions.</summary>
public readonly record struct CpuSample(long Timestamp, TimeSpan Generator, TimeSpan Server)
{
    public CpuUsage Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
        return new CpuUsage(wall, Generator - start.Generator, Server - start.Server);
    }
}

/// <summary>CPU used over a wall-clock span; the fractions are of one core.</summary>
public readonly record struct CpuUsage(TimeSpan Wall, TimeSpan Generator, TimeSpan Server)
{
    public double GeneratorFraction => Generator / Wall;
    public double ServerFraction => Server / Wall;

    public static CpuUsage operator +(CpuUsage a, CpuUsage b) =>
        new(a.Wall + b.Wall, a.Generator + b.Generator, a.Server + b.Server);
}

/// <summary>Reads the server process's CPU time and resident memory from /proc, and the generator's own CPU time.</summary>
public sealed class ProcessStats(int serverPid)
{
    private readonly Process server = Process.GetProcessById(serverPid);

    public int ServerPid => serverPid;

    public CpuSample Sample()
    {
        // Process reads utime+stime of /proc/PID/stat and converts clock ticks with the system's tick rate.
        server.Refresh();
        return new CpuSample(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, server.TotalProcessorTime);
    }

    /// <summary>VmRSS of the server, in KiB.</summary>
    public long ServerRssKib()
    {
        foreach (var line in File.ReadLines($"/proc/{serverPid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{serverPid}/status");
    }
}
