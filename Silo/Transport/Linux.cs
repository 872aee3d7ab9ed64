using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace SoketiOrleans.Silo.Transport;

/// <summary>The Linux calls the event loops make: epoll, an eventfd to wake a loop, and a socket's recv and send.</summary>
internal static unsafe partial class Linux
{
    public const int EpollIn = 0x001;
    public const int EpollOut = 0x004;
    public const int EpollErr = 0x008;
    public const int EpollHup = 0x010;

    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;

    public const int CloseOnExec = 0x80000;
    public const int NonBlocking = 0x800;

    /// <summary>No SIGPIPE for a send to a peer that is gone (the runtime ignores it too; this makes it explicit).</summary>
    public const int NoSignal = 0x4000;

    public const int ShutdownBoth = 2;

    public const int Interrupted = 4;
    public const int ConnectionAborted = 103;
    public const int WouldBlock = 11;
    public const int ConnectionReset = 104;
    public const int BrokenPipe = 32;

    /// <summary>Whether this process can use these calls: the event layout below is x86-64's, and a C library other than glibc may not be found by this name.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && Callable();

    private static bool Callable()
    {
        try
        {
            var epoll = epoll_create1(CloseOnExec);
            return epoll >= 0 && close(epoll) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>x86-64's <c>struct epoll_event</c>, which is packed: 12 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent
    {
        public uint Events;
        public nint Data;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int accept4(int fd, byte* address, int* length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockname(int fd, byte* address, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpeername(int fd, byte* address, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, int* value, int length);

    /// <summary>The next waiting connection, non-blocking, with Nagle off (as Kestrel's sockets); -1 when none is left (or the errno says why not).</summary>
    public static int Accept(int listener)
    {
        const int TcpLevel = 6, NoDelay = 1;
        int fd;
        do
        {
            fd = accept4(listener, null, null, NonBlocking | CloseOnExec);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() is Interrupted or ConnectionAborted);

        if (fd >= 0)
        {
            var on = 1;
            setsockopt(fd, TcpLevel, NoDelay, &on, sizeof(int));
        }

        return fd;
    }

    public static EndPoint? LocalEndPoint(int fd) => EndPointOf(fd, peer: false);

    public static EndPoint? RemoteEndPoint(int fd) => EndPointOf(fd, peer: true);

    private static EndPoint? EndPointOf(int fd, bool peer)
    {
        var address = stackalloc byte[128];
        var length = 128;
        var result = peer ? getpeername(fd, address, &length) : getsockname(fd, address, &length);
        return result == 0 ? EndPointOf(new ReadOnlySpan<byte>(address, length)) : null;
    }

    /// <summary>A <c>sockaddr_in</c> or <c>sockaddr_in6</c>.</summary>
    private static IPEndPoint? EndPointOf(ReadOnlySpan<byte> address)
    {
        const int IPv4 = 2, IPv6 = 10;
        if (address.Length < 8)
        {
            return null;
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        return BinaryPrimitives.ReadUInt16LittleEndian(address) switch
        {
            IPv4 => new IPEndPoint(new IPAddress(address[4..8]), port),
            IPv6 when address.Length >= 28 => new IPEndPoint(new IPAddress(address[8..24], BinaryPrimitives.ReadUInt32LittleEndian(address[24..])), port),
            _ => null,
        };
    }
}
