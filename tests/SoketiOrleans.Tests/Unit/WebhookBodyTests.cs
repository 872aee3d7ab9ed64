using System.Text;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Unit;

public sealed class WebhookBodyTests
{
    [Fact]
    public void Events_are_written_with_soketis_fields_in_soketis_order()
    {
        var body = WebhookBody.Create(
        [
            WebhookEvent.ChannelOccupied("a"),
            WebhookEvent.MemberAdded("presence-b", "ann"),
            new WebhookEvent(WebhookEventNames.ClientEvent, "presence-b") { Event = "client-x", DataJson = """{"k":"<v>"}""", SocketId = "1.2", UserId = "ann" },
            WebhookEvent.SubscriptionCountChanged("a", 3),
        ], DateTimeOffset.FromUnixTimeMilliseconds(1700000000123));

        Assert.Equal(
            """{"time_ms":1700000000123,"events":[{"name":"channel_occupied","channel":"a"},{"name":"member_added","channel":"presence-b","user_id":"ann"},{"name":"client_event","channel":"presence-b","event":"client-x","data":{"k":"<v>"},"socket_id":"1.2","user_id":"ann"},{"name":"subscription_count","channel":"a","subscription_count":3}]}""",
            Encoding.UTF8.GetString(body));
    }

    [Theory]
    [InlineData("channel_occupied", "private-a-x", true)]
    [InlineData("channel_vacated", "private-a-x", false)]
    [InlineData("channel_occupied", "public-a-x", false)]
    [InlineData("channel_occupied", "private-a-y", false)]
    public void A_target_takes_its_event_types_on_its_channels(string name, string channel, bool accepted)
    {
        var target = new WebhookTarget
        {
            Url = new Uri("http://127.0.0.1/"),
            EventTypes = new HashSet<string> { "channel_occupied" },
            ChannelNameStartsWith = "private-",
            ChannelNameEndsWith = "-x",
        };
        Assert.Equal(accepted, target.Accepts(new WebhookEvent(name, channel)));
    }
}
