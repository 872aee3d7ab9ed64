using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// The server's table of file descriptors is grown once as it starts, to the open-file limit, so that
/// no later <c>accept</c> waits for the kernel to grow it (docs/robustness.md, "The socket flood").
/// Read from <c>/proc</c>: <c>FDSize</c> is the table's slots, which the kernel allocates in powers of
/// two. The cap for higher limits is <c>Unit/FileTableTests</c>' (a hard limit can only be raised with
/// a privilege the test may not have).
/// </summary>
public sealed class FileTableTests
{
    [Theory]
    [InlineData(2_000, 4_000)]
    [InlineData(1_000, 1_000)]
    public async Task The_file_table_has_room_for_as_many_descriptors_as_the_server_may_open_before_its_first_connection(int soft, int hard)
    {
        await using var server = await ServerProcess.StartWithOpenFileLimit(soft, hard);

        // The runtime raises the soft limit to the hard one as it starts.
        Assert.Equal(hard, OpenFileLimit(server.Pid));
        Assert.InRange(FileTableSlots(server.Pid), hard, 2 * hard - 1);
        Assert.True(Directory.GetFiles($"/proc/{server.Pid}/fd").Length < hard / 2, "the room is reserved, not filled");
    }

    private static long OpenFileLimit(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);

    private static int FileTableSlots(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("FDSize:", StringComparison.Ordinal))["FDSize:".Length..]);
}
