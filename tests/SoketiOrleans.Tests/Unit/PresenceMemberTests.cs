using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Tests.Unit;

public sealed class PresenceMemberTests
{
    [Theory]
    [InlineData("""{"user_id":1001,"user_info":{"name":"Ann"}}""", "1001", """{"name":"Ann"}""")]
    [InlineData("""{"user_id":"1001"}""", "1001", null)]
    [InlineData("""{"user_id":"u-1","user_info":null}""", "u-1", null)]
    [InlineData("""{"user_id":"u-1","user_info":"just text"}""", "u-1", "\"just text\"")]
    public void Keys_numeric_and_string_ids_alike_and_keeps_user_info_raw(string channelData, string userId, string? info)
    {
        var member = PresenceMember.Parse(channelData, out var error);

        Assert.Null(error);
        Assert.Equal(new PresenceMember(userId, info), member);
    }

    [Theory]
    [InlineData("""{"user_info":{}}""")]
    [InlineData("""{"user_id":""}""")]
    [InlineData("""{"user_id":true}""")]
    [InlineData("""{"user_id":{"id":1}}""")]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("")]
    public void Refuses_channel_data_without_a_usable_user_id(string channelData)
    {
        Assert.Null(PresenceMember.Parse(channelData, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Measures_user_info_in_utf8_bytes() =>
        Assert.Equal(8, PresenceMember.Parse("""{"user_id":1,"user_info":"äöü"}""", out _)!.UserInfoBytes);
}
