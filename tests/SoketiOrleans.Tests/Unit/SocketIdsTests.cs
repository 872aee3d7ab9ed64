using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Tests.Unit;

public sealed class SocketIdsTests
{
    [Fact]
    public void Ids_have_pushers_form_and_never_repeat()
    {
        var ids = new SocketIds();
        var issued = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        Assert.All(issued, id => Assert.Matches(@"^\d+\.\d+$", id));
        Assert.Equal(issued.Count, issued.Distinct().Count());
    }

    [Theory]
    [InlineData("123.456", true)]
    [InlineData("0.0", true)]
    [InlineData("123", false)]
    [InlineData("123.", false)]
    [InlineData(".456", false)]
    [InlineData("12a.456", false)]
    [InlineData("1.2.3", false)]
    [InlineData("", false)]
    public void Validates_pushers_form(string socketId, bool valid) => Assert.Equal(valid, SocketIds.IsValid(socketId));
}
