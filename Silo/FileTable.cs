using System.Runtime.InteropServices;
using SoketiOrleans.Silo.Transport;

namespace SoketiOrleans.Silo;

/// <summary>
/// Grows this process's table of file descriptors once, at start-up, to hold as many as it may open
/// (at most <see cref="MaxReserved"/>). Linux doubles the table when a new descriptor does not fit,
/// and in a process of more than one thread it first waits for an RCU grace period (<c>fs/file.c</c>,
/// <c>expand_fdtable</c>): the event loop whose <c>accept</c> needed the room was stopped for up to 22 ms at
/// each doubling (at 512, 1,024, 2,048 … descriptors), and every socket it serves with it. soketi, one thread,
/// never waits there. The table costs the kernel 8 bytes a slot (512 KiB at the cap), none of it RSS;
/// past the cap the table still grows, in doublings that come ever further apart.
/// </summary>
internal static partial class FileTable
{
    public const int MaxReserved = 65_536;

    private const int DuplicateAtLeastCloseOnExec = 1030; // F_DUPFD_CLOEXEC

    /// <summary>
    /// Opens a descriptor at the highest number it may have and closes it again: the table keeps its
    /// size. <c>F_DUPFD_CLOEXEC</c> takes the lowest free number from there on, so a descriptor the process
    /// was started with is never replaced; when that number is in use, nothing is reserved.
    /// </summary>
    public static void Reserve()
    {
        if (OpenFileLimit.Current() is { } limit)
        {
            Reserve(Highest(limit));
        }
    }

    /// <summary>The descriptor's number that sizes the table for a process limited to <paramref name="limit"/> open files.</summary>
    internal static int Highest(long limit) => (int)Math.Min(limit, MaxReserved) - 1;

    private static void Reserve(int highest)
    {
        try
        {
            var any = Linux.eventfd(0, Linux.CloseOnExec);
            if (any < 0)
            {
                return;
            }

            var reserved = fcntl(any, DuplicateAtLeastCloseOnExec, highest);
            Linux.close(any);
            if (reserved >= 0)
            {
                Linux.close(reserved);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library this cannot find by name: the table grows as it would have.
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);
}
