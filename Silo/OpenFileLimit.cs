using System.Runtime.InteropServices;

namespace SoketiOrleans.Silo;

/// <summary>
/// The process's limit on open files (Linux), which bounds its sockets. The .NET runtime raises the
/// soft limit to the hard one as it starts, so a service started with a soft 1024 under a higher hard
/// limit (systemd's default) gets the hard one: <c>LimitNOFILE</c> / <c>ulimit -Hn</c> is what counts.
/// </summary>
internal static class OpenFileLimit
{
    private const int OpenFilesResource = 7; // RLIMIT_NOFILE on Linux

    /// <returns>The soft limit; null where there is none to read (not Linux, or unlimited).</returns>
    public static long? Current() =>
        OperatingSystem.IsLinux() && getrlimit(OpenFilesResource, out var limit) == 0 && limit.Current < long.MaxValue
            ? (long)limit.Current
            : null;

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out ResourceLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Max;
    }
}
