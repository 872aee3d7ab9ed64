using System.Text;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Tests.Unit;

public sealed class PusherFrameTests
{
    [Fact]
    public void Event_passes_names_through_with_only_the_escaping_json_requires() =>
        Assert.Equal(
            """{"event":"App\\Events\\Order<Shipped>&é","channel":"private-App.Models.User.7","data":"{\"a\":1}"}""",
            Text(PusherFrame.Event("App\\Events\\Order<Shipped>&é", "private-App.Models.User.7", "\"{\\\"a\\\":1}\""u8)));

    [Fact]
    public void Event_carries_user_id_when_given() =>
        Assert.Equal("""{"event":"client-x","channel":"presence-a","data":{},"user_id":"7"}""",
            Text(PusherFrame.Event("client-x", "presence-a", "{}"u8, userId: "7")));

    [Fact]
    public void Error_data_is_an_object() =>
        Assert.Equal("""{"event":"pusher:error","data":{"code":4001,"message":"App key k does not exist."}}""",
            Text(PusherFrame.Error(4001, "App key k does not exist.")));

    [Fact]
    public void Subscription_error_omits_a_missing_type() =>
        Assert.Equal("""{"event":"pusher:subscription_error","channel":"c","data":{"error":"no","status":4009}}""",
            Text(PusherFrame.SubscriptionError("c", null, "no", 4009)));

    [Fact]
    public void Connection_established_data_is_a_json_string() =>
        Assert.Equal("""{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":30}"}""",
            Text(ServerFrames.ConnectionEstablished("1.2", 30)));

    [Fact]
    public void Presence_snapshot_lists_every_member_and_maps_missing_info_to_null() =>
        Assert.Equal(
            """{"event":"pusher_internal:subscription_succeeded","channel":"presence-a","data":"{\"presence\":{\"ids\":[\"1\",\"2\"],\"hash\":{\"1\":{\"n\":\"Ann\"},\"2\":null},\"count\":2}}"}""",
            Text(PresenceFrames.SubscriptionSucceeded("presence-a", [new("1", """{"n":"Ann"}"""), new("2", null)])));

    [Fact]
    public void Member_added_and_removed_carry_json_string_data()
    {
        Assert.Equal("""{"event":"pusher_internal:member_added","channel":"presence-a","data":"{\"user_id\":\"1\",\"user_info\":{\"n\":1}}"}""",
            Text(PresenceFrames.MemberAdded("presence-a", "1", """{"n":1}""")));
        Assert.Equal("""{"event":"pusher_internal:member_added","channel":"presence-a","data":"{\"user_id\":\"1\"}"}""",
            Text(PresenceFrames.MemberAdded("presence-a", "1", null)));
        Assert.Equal("""{"event":"pusher_internal:member_removed","channel":"presence-a","data":"{\"user_id\":\"1\"}"}""",
            Text(PresenceFrames.MemberRemoved("presence-a", "1")));
    }

    [Fact]
    public void A_huge_frame_does_not_corrupt_the_next_one()
    {
        var big = new string('x', 200_000);
        Assert.Equal("""{"event":"e","channel":"c","data":""}""".Length + 200_000, PusherFrame.Event("e", "c", Encoding.UTF8.GetBytes($"\"{big}\"")).Length);
        Assert.Equal("""{"event":"e","channel":"c","data":"small"}""", Text(PusherFrame.Event("e", "c", "\"small\""u8)));
    }

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);
}
