using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Two server processes in one cluster behave as one server to clients and to the HTTP API.</summary>
public abstract class TwoNodeTests(TwoNodeFixture fixture) : IDisposable
{
    private readonly PusherApi _apiA = new(fixture.A.HttpUri);
    private readonly PusherApi _apiB = new(fixture.B.HttpUri);

    private PusherSigner Signer => _apiA.Signer;

    private static Task<RawPusherClient> Connect(ServerProcess server) => RawPusherClient.Connect(server.WebSocketUri());

    /// <summary>Reads the same endpoint from both nodes until both give <paramref name="expected"/>.</summary>
    private async Task AssertBothNodesAnswer(string path, string expected, IReadOnlyDictionary<string, string>? query = null)
    {
        foreach (var api in new[] { _apiA, _apiB })
        {
            Assert.Equal((200, expected), await Eventually.Get(() => api.Get(path, query), r => r.Body == expected, $"{path} to read {expected}"));
        }
    }

    /// <summary>
    /// Read-your-writes for a socket's own actions: once it hears <c>subscription_succeeded</c> for
    /// one channel, every earlier subscribe and unsubscribe of that socket is what both nodes' HTTP
    /// API answer, read once, without waiting: here after 1000 subscribe/unsubscribe pairs sent
    /// back to back, while other clients keep subscribing and leaving on both nodes and the API
    /// publishes (<see cref="BackgroundChurn"/>), from before the pairs until after the reads.
    /// </summary>
    [Fact]
    public async Task After_a_subscription_succeeds_both_nodes_count_every_earlier_unsubscribe_of_that_socket()
    {
        var churned = Names.Unique("churned-");
        var last = Names.Unique("last-");
        await using var load = await BackgroundChurn.Start([fixture.A, fixture.B], _apiB, socketsPerServer: 4);
        await using var client = await Connect(fixture.A);
        var (subscriptionsBefore, publishesBefore) = (load.Subscriptions, load.Publishes);
        for (var i = 0; i < 1000; i++)
        {
            await client.Subscribe(churned);
            await client.Unsubscribe(churned);
        }

        await client.Subscribe(last);
        await client.WaitFor("pusher_internal:subscription_succeeded", last, TimeSpan.FromSeconds(30));

        foreach (var api in new[] { _apiA, _apiB })
        {
            Assert.Equal((200, """{"occupied":false,"subscription_count":0}"""), await api.Get($"/channels/{churned}"));
            Assert.Equal((200, """{"occupied":true,"subscription_count":1}"""),
                await api.Get($"/channels/{last}", new Dictionary<string, string> { ["info"] = "subscription_count" }));
            var listed = JsonDocument.Parse((await api.Get("/channels")).Body).RootElement.GetProperty("channels");
            Assert.False(listed.TryGetProperty(churned, out _), $"{churned} is still listed");
            Assert.True(listed.TryGetProperty(last, out _), $"{last} is not listed");
        }

        var (subscriptionsDuring, publishesDuring) = (load.Subscriptions - subscriptionsBefore, load.Publishes - publishesBefore);
        await load.Stop();
        Assert.True(subscriptionsDuring > 0 && publishesDuring > 0,
            $"the other clients' load did not run meanwhile: {subscriptionsDuring} subscriptions, {publishesDuring} publishes");
    }

    [Fact]
    public async Task Event_triggered_through_one_node_reaches_subscribers_on_both()
    {
        var channel = Names.Unique("cluster-");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await onA.SubscribePublic(channel);
        await onB.SubscribePublic(channel);

        ApiAssert.IsOk(await _apiA.Trigger(channel, "from-a", "1"));
        ApiAssert.IsOk(await _apiB.Trigger(channel, "from-b", "2"));

        Assert.Equal(Frames.Event("from-a", channel, "1"), await onB.Next());
        Assert.Equal(Frames.Event("from-b", channel, "2"), await onB.Next());
        Assert.Equal(Frames.Event("from-a", channel, "1"), await onA.Next());
        Assert.Equal(Frames.Event("from-b", channel, "2"), await onA.Next());
    }

    [Fact]
    public async Task Private_subscriber_on_b_gets_events_triggered_through_a()
    {
        var channel = Names.Unique("private-cluster-");
        await using var onB = await Connect(fixture.B);
        await onB.SubscribePrivate(Signer, channel);

        ApiAssert.IsOk(await _apiA.Trigger(channel, "secret", "s"));

        Assert.Equal(Frames.Event("secret", channel, "s"), await onB.Next());
    }

    [Fact]
    public async Task Socket_id_exclusion_works_across_nodes()
    {
        var channel = Names.Unique("cluster-");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await onA.SubscribePublic(channel);
        await onB.SubscribePublic(channel);

        ApiAssert.IsOk(await _apiA.Trigger(channel, "not-for-b", "x", onB.SocketId));
        ApiAssert.IsOk(await _apiB.Trigger(channel, "not-for-a", "y", onA.SocketId));
        ApiAssert.IsOk(await _apiA.Trigger(channel, "for-all", "z"));

        Assert.Equal(Frames.Event("not-for-b", channel, "x"), await onA.Next());
        Assert.Equal(Frames.Event("for-all", channel, "z"), await onA.Next());
        Assert.Equal(Frames.Event("not-for-a", channel, "y"), await onB.Next());
        Assert.Equal(Frames.Event("for-all", channel, "z"), await onB.Next());
    }

    [Fact]
    public async Task Counts_and_channel_lists_are_the_same_on_both_nodes()
    {
        var prefix = Names.Unique("cluster-list-");
        var channel = prefix + "-c";
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await onA.SubscribePublic(channel);
        await onB.SubscribePublic(channel);

        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":2}""");
        await AssertBothNodesAnswer("/channels", $$$$"""{"channels":{"{{{{channel}}}}":{"subscription_count":2,"occupied":true}}}""",
            new Dictionary<string, string> { ["filter_by_prefix"] = prefix });

        await onB.Unsubscribe(channel);
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":1}""");
        await onA.Unsubscribe(channel);
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":false,"subscription_count":0}""");
        await AssertBothNodesAnswer("/channels", """{"channels":{}}""", new Dictionary<string, string> { ["filter_by_prefix"] = prefix });
    }

    [Fact]
    public async Task Presence_members_are_the_same_on_both_nodes()
    {
        var channel = Names.Unique("presence-cluster-");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await onA.SubscribePresence(Signer, channel, """{"user_id":"alice","user_info":{"node":"a"}}""");

        var snapshot = await onB.SubscribePresence(Signer, channel, """{"user_id":"bob","user_info":{"node":"b"}}""");

        var presence = JsonDocument.Parse(JsonDocument.Parse(snapshot).RootElement.GetProperty("data").GetString()!).RootElement.GetProperty("presence");
        Assert.Equal(2, presence.GetProperty("count").GetInt32());
        Assert.Equal("""{"node":"a"}""", presence.GetProperty("hash").GetProperty("alice").GetRawText());
        Assert.Equal(
            $$$"""{"event":"pusher_internal:member_added","channel":"{{{channel}}}","data":"{\"user_id\":\"bob\",\"user_info\":{\"node\":\"b\"}}"}""",
            await onA.Next());
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":2,"user_count":2}""");
        foreach (var api in new[] { _apiA, _apiB })
        {
            var users = await api.Get($"/channels/{channel}/users");
            Assert.Equal(200, users.Status);
            Assert.Equal(["alice", "bob"], JsonDocument.Parse(users.Body).RootElement.GetProperty("users").EnumerateArray()
                .Select(u => u.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToArray());
        }

        await AssertBothNodesAnswer("/channels", $$$$"""{"channels":{"{{{{channel}}}}":{"subscription_count":2,"occupied":true,"user_count":2}}}""",
            new Dictionary<string, string> { ["filter_by_prefix"] = channel, ["info"] = "user_count" });
    }

    [Fact]
    public async Task Same_user_on_both_nodes_counts_as_one_user()
    {
        var channel = Names.Unique("presence-cluster-");
        const string dave = """{"user_id":"dave","user_info":{"name":"Dave"}}""";
        await using var daveOnA = await Connect(fixture.A);
        await using var daveOnB = await Connect(fixture.B);

        await daveOnA.SubscribePresence(Signer, channel, dave);
        var snapshot = await daveOnB.SubscribePresence(Signer, channel, dave);

        Assert.Equal(
            $$$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{{channel}}}","data":"{\"presence\":{\"ids\":[\"dave\"],\"hash\":{\"dave\":{\"name\":\"Dave\"}},\"count\":1}}"}""",
            snapshot);
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":2,"user_count":1}""");
        await AssertBothNodesAnswer($"/channels/{channel}/users", """{"users":[{"id":"dave"}]}""");
        await daveOnA.ExpectPong();
    }

    [Fact]
    public async Task Same_user_on_both_nodes_is_one_member_until_both_sockets_leave()
    {
        var channel = Names.Unique("presence-cluster-");
        const string carol = """{"user_id":"carol"}""";
        await using var observer = await Connect(fixture.A);
        var carolOnA = await Connect(fixture.A);
        await using var carolOnACleanup = carolOnA;
        var carolOnB = await Connect(fixture.B);
        await using var carolOnBCleanup = carolOnB;
        await observer.SubscribePresence(Signer, channel, """{"user_id":"observer"}""");

        await carolOnA.SubscribePresence(Signer, channel, carol);
        Assert.Equal(Frames.MemberAdded(channel, Frames.Member("carol")), await observer.Next());
        var snapshot = await carolOnB.SubscribePresence(Signer, channel, carol);

        Assert.Contains("\\\"count\\\":2", snapshot);
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":3,"user_count":2}""");
        await observer.AssertSilent();

        await carolOnB.DisposeAsync();
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":2,"user_count":2}""");
        await observer.AssertSilent();

        await carolOnA.Unsubscribe(channel);
        Assert.Equal(Frames.MemberRemoved(channel, "carol"), await observer.Next());
        await AssertBothNodesAnswer($"/channels/{channel}", """{"occupied":true,"subscription_count":1,"user_count":1}""");
    }

    [Fact]
    public async Task Client_events_cross_gateways_with_the_presence_user_id_and_skip_the_sender()
    {
        var channel = Names.Unique("presence-whisper-");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await onA.SubscribePresence(Signer, channel, """{"user_id":"ann"}""");
        await onB.SubscribePresence(Signer, channel, """{"user_id":"bob"}""");
        Assert.Equal(Frames.MemberAdded(channel, Frames.Member("bob")), await onA.Next());

        await onA.SendText($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"to":"bob"}}""");
        await onB.SendText($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"to":"ann"}}""");

        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"to":"bob"},"user_id":"ann"}""", await onB.Next());
        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"to":"ann"},"user_id":"bob"}""", await onA.Next());
        await onA.AssertSilent();
        await onB.AssertSilent();
    }

    /// <summary>
    /// A channel whose subscribers are all on one node, in the process of its grain, is delivered
    /// there without the grain (under a lease); the grain takes the lease back before a subscriber on
    /// the other node joins. Six channels, so that some have their grain on A's silo: the subscriber
    /// joining on B while A's client sends gets one unbroken run up to the last event, and A's
    /// subscriber gets every event in order.
    /// </summary>
    [Fact]
    public async Task A_subscriber_joining_on_b_gets_an_unbroken_run_of_the_client_events_sent_on_a()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => OneChannel(Names.Unique("private-lease-"))));

        async Task OneChannel(string channel)
        {
            const int Last = 301;
            string Event(int n) => $$"""{"event":"client-n","channel":"{{channel}}","data":"{{n}}"}""";
            await using var sender = await Connect(fixture.A);
            await using var watcher = await Connect(fixture.A);
            await using var joiner = await Connect(fixture.B);
            await sender.SubscribePrivate(Signer, channel);
            await watcher.SubscribePrivate(Signer, channel);
            await sender.SendText(Event(1));
            Assert.Equal(Event(1), await watcher.Next());

            var sending = Task.Run(async () =>
            {
                for (var n = 2; n < Last; n++)
                {
                    await sender.SendText(Event(n));
                }
            });
            await joiner.SubscribePrivate(Signer, channel);
            await sending;
            await sender.SendText(Event(Last));

            for (var n = 2; n <= Last; n++)
            {
                Assert.Equal(Event(n), await watcher.Next());
            }

            var first = int.Parse(JsonDocument.Parse(await joiner.Next()).RootElement.GetProperty("data").GetString()!);
            for (var n = first + 1; n <= Last; n++)
            {
                Assert.Equal(Event(n), await joiner.Next());
            }

            await sender.AssertSilent();
        }
    }

    [Fact]
    public async Task Trigger_info_counts_subscribers_and_users_on_both_nodes()
    {
        var channel = Names.Unique("presence-info-cluster-");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await using var secondOnB = await Connect(fixture.B);
        await onA.SubscribePresence(Signer, channel, """{"user_id":"1"}""");
        await onB.SubscribePresence(Signer, channel, """{"user_id":"1"}""");
        await secondOnB.SubscribePresence(Signer, channel, """{"user_id":"2"}""");

        var body = $$"""{"name":"n","data":"d","channel":"{{channel}}","info":"subscription_count,user_count"}""";
        var expected = $$$$"""{"channels":{"{{{{channel}}}}":{"subscription_count":3,"user_count":2}}}""";
        Assert.Equal((200, expected), await _apiA.Post("/events", body));
        Assert.Equal((200, expected), await _apiB.Post("/events", body));
        Assert.Equal((200, """{"batch":[{"subscription_count":3,"user_count":2}]}"""),
            await _apiA.Post("/batch_events", $$"""{"batch":[{{body}}]}"""));
    }

    [Fact]
    public async Task A_cache_channel_replays_on_b_what_was_sent_through_a()
    {
        var apiChannel = Names.Unique("cache-cluster-");
        var clientChannel = Names.Unique("private-cache-cluster-");
        ApiAssert.IsOk(await _apiA.Trigger(apiChannel, "kept", "k"));
        await using var onA = await Connect(fixture.A);
        await onA.SubscribePrivate(Signer, clientChannel);
        Assert.Equal(Frames.CacheMiss(clientChannel), await onA.Next());
        await onA.SendText($$"""{"event":"client-note","channel":"{{clientChannel}}","data":"n"}""");
        await onA.ExpectPong();

        await using var onB = await Connect(fixture.B);
        await onB.SubscribePublic(apiChannel);
        Assert.Equal(Frames.Event("kept", apiChannel, "k"), await onB.Next());
        await onB.SubscribePrivate(Signer, clientChannel);
        Assert.Equal($$"""{"event":"client-note","channel":"{{clientChannel}}","data":"n"}""", await onB.Next());
    }

    public void Dispose()
    {
        _apiA.Dispose();
        _apiB.Dispose();
    }
}

/// <summary>Run against two processes of a <c>local</c> mode cluster.</summary>
[Collection(nameof(TwoNodes))]
public sealed class LocalTwoNodeTests(TwoNodeFixture fixture) : TwoNodeTests(fixture);
