using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// The start-up warm-up: a new process runs its client paths once, through its own port and as an
/// app of its own, before <c>/ready</c> answers 200; the configured apps see none of it. (The harness
/// fails every test whose server logged a failed warm-up, so every mode, TLS and prefix run it too.)
/// </summary>
public sealed partial class WarmUpTests
{
    private const string Starting = """{"error":"The server is starting. Try again shortly.","code":503}""";

    [Fact]
    public async Task Ready_answers_503_while_the_process_warms_up_and_200_only_after_on_both_ports()
    {
        var metricsPort = FreePort.Next();
        await using var server = ServerProcess.Launch(new Dictionary<string, string>
        {
            ["SOKETI_DEBUG"] = "1",
            ["SOKETI_METRICS_ENABLED"] = "true",
            ["SOKETI_METRICS_SERVER_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            // As the container image and `dotnet run` start it (deploy/Dockerfile): everything the
            // warm-up runs is compiled by the JIT, optimized, the longest warm-up there is.
            ["DOTNET_ReadyToRun"] = "0",
            ["DOTNET_TC_QuickJit"] = "0",
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Uri[] probes = [new(server.HttpUri, "/ready"), new($"http://127.0.0.1:{metricsPort}/ready")];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);

        // Each port is probed on its own, so that one answer slow in coming (a busy machine) does
        // not keep the other port from being asked while the warm-up runs.
        async Task<(List<(int Status, string Body)> Answers, DateTime ReadyAt)> Probe(Uri probe)
        {
            var answers = new List<(int Status, string Body)>();
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{probe} never answered 200:\n{server.Output}");
                Assert.False(server.HasExited, server.Output);
                try
                {
                    using var response = await http.GetAsync(probe);
                    var answer = ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
                    if (answer.Item1 == 200)
                    {
                        Assert.Equal("OK", answer.Item2);
                        return (answers, DateTime.UtcNow);
                    }

                    answers.Add(answer);
                }
                catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    // not listening yet
                }

                await Task.Delay(10);
            }
        }

        var probed = await Task.WhenAll(probes.Select(Probe));
        var line = await Eventually.Get(() => Task.FromResult(server.Output), o => WarmedUp().IsMatch(o), "the warm-up's log line");
        var warmedAt = DateTime.ParseExact(WarmedUp().Match(line).Groups[1].Value, "yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        foreach (var (probe, (answers, readyAt)) in probes.Zip(probed))
        {
            // Both ports listen before the warm-up starts, so each probe saw it warming.
            Assert.NotEmpty(answers);
            Assert.All(answers, a => Assert.Equal((503, Starting), a));
            Assert.True(warmedAt <= readyAt, $"warmed up at {warmedAt:O}, {probe} answered 200 at {readyAt:O}");
        }
    }

    [Fact]
    public async Task The_configured_app_sees_no_webhook_channel_metric_or_connection_of_the_warm_up()
    {
        await using var webhooks = new WebhookReceiver();
        var metricsPort = FreePort.Next();
        await using var server = await ServerProcess.Start(new Dictionary<string, string>
        {
            ["SOKETI_METRICS_ENABLED"] = "true",
            ["SOKETI_METRICS_SERVER_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
                [{"url":"{{webhooks.Url("/hooks")}}","event_types":["channel_occupied","channel_vacated","member_added","member_removed","client_event"]}]
                """,
        });
        using var api = new PusherApi(server.HttpUri);
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

        Assert.Equal((200, """{"channels":{}}"""), await api.Get("/channels"));
        var channel = Names.Unique("after-warm-up-");
        await using (var client = await RawPusherClient.Connect(server.WebSocketUri()))
        {
            await client.SubscribePublic(channel);
            await webhooks.WaitForEvents("/hooks", channel, 1);
        }

        // Had the warm-up used the configured app, its channels' webhooks would have come first.
        var events = webhooks.Received.SelectMany(r => r.Events).ToArray();
        Assert.Equal("channel_occupied", events[0].GetProperty("name").GetString());
        Assert.All(events, e => Assert.Equal(channel, e.GetProperty("channel").GetString()));
        var exposition = await metrics.GetStringAsync("/metrics");
        Assert.Equal(["app-id"], AppLabel().Matches(exposition).Select(m => m.Groups[1].Value).Distinct());
        var labels = $$"""{app_id="app-id",port="{{server.Port}}"}""";
        Assert.Equal(1, new MetricsScrape(exposition).Value("soketi_new_connections_total" + labels));
    }

    [GeneratedRegex(@"^(\S+) dbug: SoketiOrleans\.Gateway\.WarmUp\.StartupWarmUp\[\d+\] Warmed up in \d+ ms with 50 sockets$", RegexOptions.Multiline)]
    private static partial Regex WarmedUp();

    [GeneratedRegex("app_id=\"([^\"]*)\"")]
    private static partial Regex AppLabel();
}
