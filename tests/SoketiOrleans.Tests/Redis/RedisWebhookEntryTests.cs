using System.Text;
using SoketiOrleans.Grains.Webhooks.Redis;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Redis;

public sealed class RedisWebhookEntryTests
{
    [Fact]
    public void Every_field_survives_and_the_data_stays_the_raw_json_the_client_wrote()
    {
        var raised = new WebhookEvent(WebhookEventNames.ClientEvent, "presence-room") with
        {
            Event = "client-typing",
            DataJson = "{ \"text\" : \"héllo \\u00e9 \\\"quoted\\\"\", \"n\": 1.50 }",
            SocketId = "123.456",
            UserId = "user-7",
            SubscriptionCount = 3,
        };

        Assert.Equal(raised, RedisWebhookEntry.Deserialize(RedisWebhookEntry.Serialize(raised)));
    }

    [Fact]
    public void Absent_fields_are_left_out_and_read_back_as_absent()
    {
        var raised = WebhookEvent.ChannelOccupied("private-a");

        var stored = RedisWebhookEntry.Serialize(raised);

        Assert.Equal("""{"n":"channel_occupied","c":"private-a"}""", Encoding.UTF8.GetString(stored));
        Assert.Equal(raised, RedisWebhookEntry.Deserialize(stored));
    }

    [Fact]
    public void An_entry_without_a_name_is_refused_rather_than_read_as_null()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RedisWebhookEntry.Deserialize("""{"c":"a"}"""u8));
    }
}
