using SoketiOrleans.Silo;

namespace SoketiOrleans.Tests.Unit;

/// <summary>How far the server grows its table of file descriptors as it starts: to its open-file limit, at most 65,536 (<c>Operations/FileTableTests</c> reads the table of a started server).</summary>
public sealed class FileTableTests
{
    [Theory]
    [InlineData(1_024, 1_023)]
    [InlineData(20_000, 19_999)]
    [InlineData(65_536, 65_535)]
    [InlineData(1_048_576, 65_535)]
    public void The_table_is_sized_by_the_limit_up_to_the_cap(long limit, int highestDescriptor) =>
        Assert.Equal(highestDescriptor, FileTable.Highest(limit));
}
