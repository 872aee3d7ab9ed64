using System.Diagnostics;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// SIGTERM with webhooks still queued: they are sent for up to the shutdown grace period, and a
/// receiver that never answers cannot hold the process beyond it. Each test stops its own server.
/// </summary>
public sealed class WebhookShutdownTests
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(4);

    /// <summary>The host's own start and stop work around the grace period, on a busy 2-core machine.</summary>
    private static readonly TimeSpan ExitWithin = GracePeriod + TimeSpan.FromSeconds(4);

    private static Task<ServerProcess> Start(WebhookReceiver receiver, string path, string timeoutMs = "5000") =>
        ServerProcess.Start(new Dictionary<string, string>
        {
            ["SOKETI_SHUTDOWN_GRACE_PERIOD"] = ((int)GracePeriod.TotalMilliseconds).ToString(),
            ["SOKETI_WEBHOOKS_TIMEOUT"] = timeoutMs,
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{receiver.Url(path)}}","event_types":["channel_occupied","channel_vacated"]}]""",
        });

    private static async Task SubscribeAll(RawPusherClient client, params string[] channels)
    {
        foreach (var channel in channels)
        {
            await client.SubscribePublic(channel);
        }
    }

    private static string Sequence(WebhookReceiver receiver, string path, string channel) =>
        WebhookReceiver.Names(receiver.Events(path, channel));

    [Fact]
    public async Task Events_queued_behind_a_slow_receiver_are_delivered_after_sigterm_within_the_grace_period()
    {
        await using var receiver = new WebhookReceiver();
        receiver.AnswerAfter("/slow", TimeSpan.FromMilliseconds(300));
        await using var server = await Start(receiver, "/slow");
        var (first, second) = (Names.Unique("drain-a-"), Names.Unique("drain-b-"));
        await using var client = await RawPusherClient.Connect(server.WebSocketUri());
        await SubscribeAll(client, first, second);

        var clock = Stopwatch.StartNew();
        server.Terminate();

        // Four requests one after the other (the second occupied and both vacated, raised as the
        // socket closes, wait behind the first): 1.2 s of answers, well inside the grace period.
        Assert.Equal(0, await server.WaitForExit(ExitWithin));
        Assert.True(clock.Elapsed < ExitWithin, $"Exited after {clock.Elapsed}");
        Assert.Equal("channel_occupied,channel_vacated", Sequence(receiver, "/slow", first));
        Assert.Equal("channel_occupied,channel_vacated", Sequence(receiver, "/slow", second));
        Assert.DoesNotContain("Shutdown grace period over", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_raised_by_closing_the_sockets_at_sigterm_are_delivered()
    {
        await using var receiver = new WebhookReceiver();
        await using var server = await Start(receiver, "/fast");
        var channel = Names.Unique("closing-");
        await using var client = await RawPusherClient.Connect(server.WebSocketUri());
        await SubscribeAll(client, channel);
        await receiver.WaitForEvents("/fast", channel, 1);

        server.Terminate();

        Assert.Equal(0, await server.WaitForExit(ExitWithin));
        Assert.Equal("channel_occupied,channel_vacated", Sequence(receiver, "/fast", channel));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_holds_the_exit_for_no_longer_than_the_grace_period()
    {
        await using var receiver = new WebhookReceiver();
        receiver.Answer("/never", _ => null);
        await using var server = await Start(receiver, "/never", timeoutMs: "60000");
        var channel = Names.Unique("stuck-");
        await using var client = await RawPusherClient.Connect(server.WebSocketUri());
        await SubscribeAll(client, channel);
        await Eventually.Get(() => Task.FromResult(receiver.On("/never")), r => r.Count == 1, "the first attempt");

        var clock = Stopwatch.StartNew();
        server.Terminate();

        Assert.Equal(0, await server.WaitForExit(ExitWithin));
        Assert.InRange(clock.Elapsed, GracePeriod - TimeSpan.FromMilliseconds(500), ExitWithin);
        Assert.Matches(@"Shutdown grace period over with \d+ webhook events not delivered; they are dropped", server.Output);
    }
}
