using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// Between SIGTERM and exit the process drains: load balancers must see <c>/ready</c> fail so they
/// send new sockets elsewhere. A webhook receiver that never answers keeps the process draining for
/// the whole grace period, long enough to look. Each test stops its own server.
/// </summary>
public sealed class DrainingReadinessTests
{
    private const string Closing = """{"error":"The server is closing. Choose another server.","code":503}""";

    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(6);

    /// <summary>The host's own start and stop work around the grace period, on a busy 2-core machine.</summary>
    private static readonly TimeSpan ExitWithin = GracePeriod + TimeSpan.FromSeconds(4);

    /// <summary>Status and body; a refused connection is status 0 with the error, so a failure says what was seen.</summary>
    private static async Task<(int Status, string Body)> Probe(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
    }

    [Fact]
    public async Task After_sigterm_ready_answers_503_while_the_process_drains_and_new_sockets_are_told_4200()
    {
        await using var receiver = new WebhookReceiver();
        receiver.Answer("/never", _ => null);
        await using var server = await ServerProcess.Start(new Dictionary<string, string>
        {
            ["SOKETI_SHUTDOWN_GRACE_PERIOD"] = ((int)GracePeriod.TotalMilliseconds).ToString(),
            ["SOKETI_WEBHOOKS_TIMEOUT"] = "60000",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{receiver.Url("/never")}}","event_types":["channel_occupied","channel_vacated"]}]""",
        });
        // A fresh connection per probe, as a load balancer's health check opens one.
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.ConnectionClose = true;
        Assert.Equal((200, "OK"), await Probe(http, "/ready"));
        await using var connected = await RawPusherClient.Connect(server.WebSocketUri());
        await connected.SubscribePublic(Names.Unique("draining-"));
        // The occupied webhook now hangs, so its queue holds the process for the grace period.
        await Eventually.Get(() => Task.FromResult(receiver.On("/never")), r => r.Count == 1, "the first webhook attempt");

        server.Terminate();

        // /ready turns 503 before any socket is told to reconnect, so no wait is needed once one is.
        Assert.Equal(Frames.ShuttingDown, await connected.Next());
        Assert.Equal((503, Closing), await Probe(http, "/ready"));
        Assert.Equal((WebSocketCloseStatus)4200, (await connected.WaitForClose()).Status);

        Assert.Equal((200, "OK"), await Probe(http, "/"));
        await using var latecomer = await RawPusherClient.Open(server.WebSocketUri());
        Assert.Equal(Frames.ShuttingDown, await latecomer.Next());
        Assert.Equal((WebSocketCloseStatus)4200, (await latecomer.WaitForClose()).Status);
        Assert.Equal((503, Closing), await Probe(http, "/ready"));

        Assert.Equal(0, await server.WaitForExit(ExitWithin));
    }
}
