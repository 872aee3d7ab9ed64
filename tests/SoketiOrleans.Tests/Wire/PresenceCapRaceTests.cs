using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// The presence member cap is "exact under concurrent joins on different gateways"
/// (docs/compatibility.md): users racing for the last places on both gateways at once.
/// </summary>
[Collection(nameof(ContendedCluster))]
public sealed class PresenceCapRaceTests(ContendedClusterFixture fixture) : IDisposable
{
    private const int MaxMembers = ContendedClusterFixture.MaxMembers;
    private const int OverTheCap = 3;

    /// <summary>Each round is a fresh channel and fresh sockets: one race can go right by luck.</summary>
    private const int Rounds = 3;

    private static readonly PusherSigner Signer = PusherSigner.Named("members");

    private readonly PusherApi _apiA = new(fixture.A.HttpUri, Signer);
    private readonly PusherApi _apiB = new(fixture.B.HttpUri, Signer);

    private static string SucceededPrefix(string channel) =>
        $$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{channel}}","data":""";

    private static JsonElement Data(string frame) =>
        JsonDocument.Parse(JsonDocument.Parse(frame).RootElement.GetProperty("data").GetString()!).RootElement;

    [Fact]
    public async Task When_more_users_than_the_cap_join_at_once_on_both_gateways_exactly_the_cap_is_admitted_the_rest_get_LimitReached_and_only_the_admitted_are_members()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await Race(Names.Unique("presence-race-"));
        }
    }

    private async Task Race(string channel)
    {
        await using var clients = new ClientGroup();
        var joiners = await Task.WhenAll(Enumerable.Range(0, MaxMembers + OverTheCap).Select(async i =>
        {
            var client = await clients.Connect((i % 2 == 0 ? fixture.A : fixture.B).WebSocketUri(Signer.Key));
            return (User: $"user-{i}", Client: client, ChannelData: $$"""{"user_id":"user-{{i}}"}""");
        }));

        await Task.WhenAll(joiners.Select(j => j.Client.Subscribe(channel, Signer.PresenceAuth(j.Client.SocketId, channel, j.ChannelData), j.ChannelData)));
        var answers = await Task.WhenAll(joiners.Select(j => j.Client.Next()));

        var outcomes = joiners.Zip(answers, (j, answer) => (j.User, j.Client, Answer: answer)).ToArray();
        var admitted = outcomes.Where(o => o.Answer.StartsWith(SucceededPrefix(channel), StringComparison.Ordinal)).ToArray();
        var refused = outcomes.Where(o => o.Answer == Frames.PresenceFull(channel, MaxMembers)).ToArray();
        Assert.True(admitted.Length + refused.Length == outcomes.Length, $"unexpected answers:\n{string.Join("\n", answers)}");
        Assert.Equal(MaxMembers, admitted.Length);
        Assert.Equal(OverTheCap, refused.Length);

        var members = admitted.Select(o => o.User).Order(StringComparer.Ordinal).ToArray();
        foreach (var api in new[] { _apiA, _apiB })
        {
            var (status, body) = await api.Get($"/channels/{channel}/users");
            Assert.Equal(200, status);
            var users = JsonDocument.Parse(body).RootElement.GetProperty("users").EnumerateArray().ToArray();
            Assert.All(users, u => Assert.Equal(["id"], u.EnumerateObject().Select(p => p.Name)));
            Assert.Equal(members, users.Select(u => u.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        }

        // Every admitted socket learns of exactly the admitted users (its snapshot, then member_added), never of a refused one.
        var seen = await Task.WhenAll(admitted.Select(o => MembersSeenBy(o.Client, channel, o.Answer)));
        Assert.All(seen, s => Assert.Equal(members, s));
        await Task.WhenAll(refused.Select(o => o.Client.AssertSilent()));
        await Task.WhenAll(refused.Select(o => o.Client.ExpectPong()));
    }

    /// <summary>The snapshot's members, then each <c>member_added</c> until the cap is reached; nothing may follow.</summary>
    private static async Task<string[]> MembersSeenBy(RawPusherClient client, string channel, string snapshot)
    {
        var presence = Data(snapshot).GetProperty("presence");
        var members = presence.GetProperty("ids").EnumerateArray().Select(id => id.GetString()!).ToList();
        Assert.Equal(members.Count, presence.GetProperty("count").GetInt32());
        while (members.Count < MaxMembers)
        {
            var frame = await client.Next();
            Assert.StartsWith($$"""{"event":"pusher_internal:member_added","channel":"{{channel}}","data":""", frame);
            var userId = Data(frame).GetProperty("user_id").GetString()!;
            Assert.DoesNotContain(userId, members);
            members.Add(userId);
        }

        await client.AssertSilent();
        return [.. members.Order(StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        _apiA.Dispose();
        _apiB.Dispose();
    }
}
