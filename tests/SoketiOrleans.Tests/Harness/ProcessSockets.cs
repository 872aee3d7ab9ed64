using System.Globalization;

namespace SoketiOrleans.Tests.Harness;

/// <summary>What a process's open files say of its TCP connections on loopback (Linux's /proc).</summary>
public static class ProcessSockets
{
    /// <summary>Whether process <paramref name="pid"/> holds the socket of the connection between its <paramref name="localPort"/> and <paramref name="remotePort"/>.</summary>
    public static bool Holds(int pid, int localPort, int remotePort)
    {
        var inodes = Inodes(localPort, remotePort);
        return inodes.Count > 0 && Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd =>
            TryReadLink(fd) is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
            && inodes.Contains(target["socket:[".Length..^1]));
    }

    /// <summary>The inodes of the sockets whose local and remote ports these are (/proc/net/tcp and tcp6: "sl local rem st ... uid timeout inode").</summary>
    private static HashSet<string> Inodes(int localPort, int remotePort)
    {
        var (local, remote) = (localPort.ToString("X4", CultureInfo.InvariantCulture), remotePort.ToString("X4", CultureInfo.InvariantCulture));
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(table => File.ReadLines(table).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1].EndsWith(":" + local, StringComparison.Ordinal) && f[2].EndsWith(":" + remote, StringComparison.Ordinal))
            .Select(f => f[9])
            .Where(inode => inode != "0")
            .ToHashSet();
    }

    private static string? TryReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed meanwhile
        }
    }
}
