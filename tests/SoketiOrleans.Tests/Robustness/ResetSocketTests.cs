using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// Clients that vanish with a reset, as browsers and mobile networks drop them: no close frame, no
/// FIN. Their sessions end as any other client's leaving does, and nothing is logged as a failure.
/// </summary>
public sealed class ResetSocketTests
{
    private const int Sockets = 20;

    [Fact]
    public async Task Idle_subscribed_sockets_that_are_reset_leave_their_channel_and_no_failure_is_logged()
    {
        await using var server = await ServerProcess.Start();
        using var api = new PusherApi(server.HttpUri);
        var channel = Names.Unique("reset-");
        var connections = new List<RawConnection>();
        try
        {
            for (var i = 0; i < Sockets; i++)
            {
                var connection = await RawConnection.OpenWebSocket(server.Port);
                connections.Add(connection);
                await connection.Send(RawConnection.MaskedText($$$"""{"event":"pusher:subscribe","data":{"channel":"{{{channel}}}"}}"""));
                Assert.Contains("pusher_internal:subscription_succeeded", await connection.ReadTextFrame());
            }

            Assert.Equal((200, $$"""{"occupied":true,"subscription_count":{{Sockets}}}"""), await api.Get($"/channels/{channel}"));

            connections.ForEach(c => c.Reset());

            await Eventually.Get(() => api.Get($"/channels/{channel}"), r => r.Body == """{"occupied":false,"subscription_count":0}""", "the reset sockets to leave");
            Assert.DoesNotContain(server.Output.Split('\n'), line => line.Contains(" fail: ") || line.Contains(" crit: ") || line.Contains("Unhandled"));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
