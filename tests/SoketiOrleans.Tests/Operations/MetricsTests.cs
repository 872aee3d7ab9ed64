using System.Net;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// soketi's Prometheus metrics on the metrics port, counted after known traffic: the names, types,
/// help texts and labels of soketi 1.6.1's <c>prometheus-metrics-driver</c>, so its dashboards work.
/// </summary>
public sealed class MetricsTests
{
    /// <summary>soketi 1.6.1's own metrics this server exports (the horizontal adapter's have no counterpart: there is no scatter-gather).</summary>
    private static readonly (string Name, string Type, string Help)[] SoketiMetrics =
    [
        ("connected", "gauge", "The number of currently connected sockets."),
        ("new_connections_total", "counter", "Total amount of soketi connection requests."),
        ("new_disconnections_total", "counter", "Total amount of soketi disconnections."),
        ("socket_received_bytes", "counter", "Total amount of bytes that soketi received."),
        ("socket_transmitted_bytes", "counter", "Total amount of bytes that soketi transmitted."),
        ("ws_messages_received_total", "counter", "The total amount of WS messages received from connections by the server."),
        ("ws_messages_sent_total", "counter", "The total amount of WS messages sent to the connections from the server."),
        ("http_received_bytes", "counter", "Total amount of bytes that soketi's REST API received."),
        ("http_transmitted_bytes", "counter", "Total amount of bytes that soketi's REST API sent back."),
        ("http_calls_received_total", "counter", "Total amount of received REST API calls."),
    ];

    private static async Task<(ServerProcess Server, int MetricsPort)> Start(Dictionary<string, string>? extra = null)
    {
        var metricsPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["SOKETI_METRICS_ENABLED"] = "true",
            ["SOKETI_METRICS_SERVER_PORT"] = metricsPort.ToString(),
            ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
        };
        foreach (var (k, v) in extra ?? [])
        {
            environment[k] = v;
        }

        return (await ServerProcess.Start(environment), metricsPort);
    }

    private static async Task<MetricsScrape> Scrape(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return new MetricsScrape(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Counters_and_labels_match_the_traffic_that_was_sent()
    {
        var (started, metricsPort) = await Start();
        await using var server = started;
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        using var api = new PusherApi(server.HttpUri);
        var channel = Names.Unique("private-metrics-");
        var received = new List<string>();
        var sent = new List<string>();

        await using (var a = await RawPusherClient.Connect(server.WebSocketUri()))
        await using (var b = await RawPusherClient.Connect(server.WebSocketUri()))
        {
            received.Add(Frames.ConnectionEstablished(a.SocketId));
            received.Add(Frames.ConnectionEstablished(b.SocketId));
            foreach (var client in new[] { a, b })
            {
                var subscribe = $$$"""{"event":"pusher:subscribe","data":{"channel":"{{{channel}}}","auth":"{{{api.Signer.PrivateAuth(client.SocketId, channel)}}}"}}""";
                await client.SendText(subscribe);
                sent.Add(subscribe);
                Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
                received.Add(Frames.SubscriptionSucceeded(channel));
            }

            var clientEvent = $$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"n":1}}""";
            await a.SendText(clientEvent);
            sent.Add(clientEvent);
            received.Add(await b.Next());

            var body = PusherApi.EventBody(channel, "from-api", "hello");
            Assert.Equal((200, """{"ok":true}"""), await api.Post("/events", body));
            received.Add(await a.Next());
            received.Add(await b.Next());
            // Not counted: soketi counts answered calls only, and made-up app ids must not add series.
            using (var unknown = new PusherApi(server.HttpUri, new PusherSigner("no-such-app")))
            {
                Assert.Equal(404, (await unknown.Post("/events", body)).Status);
            }

            var port = server.Port.ToString();
            var labels = $$"""{app_id="app-id",port="{{port}}"}""";
            var during = await Eventually.Get(() => Scrape(metrics), s => s.Value("soketi_ws_messages_sent_total" + labels) == received.Count, "the frames sent so far counted");
            Assert.Equal(2, during.Value("soketi_connected" + labels));
            Assert.Equal(1, during.Value("soketi_http_calls_received_total" + labels));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), during.Value("soketi_http_received_bytes" + labels));
            Assert.Equal("""{"ok":true}""".Length, during.Value("soketi_http_transmitted_bytes" + labels));
            Assert.Equal(1, during.Value("soketi_publish_to_deliver_seconds_count" + labels));
            Assert.DoesNotContain("no-such-app", during.Text);
        }

        var scrape = await Eventually.Get(() => Scrape(metrics),
            s => s.Value($$"""soketi_connected{app_id="app-id",port="{{server.Port}}"}""") == 0, "both sockets counted as gone");
        var l = $$"""{app_id="app-id",port="{{server.Port}}"}""";
        Assert.Equal(2, scrape.Value("soketi_new_connections_total" + l));
        Assert.Equal(2, scrape.Value("soketi_new_disconnections_total" + l));
        Assert.Equal(sent.Count, scrape.Value("soketi_ws_messages_received_total" + l));
        Assert.Equal(sent.Sum(System.Text.Encoding.UTF8.GetByteCount), scrape.Value("soketi_socket_received_bytes" + l));
        Assert.Equal(received.Count, scrape.Value("soketi_ws_messages_sent_total" + l));
        Assert.Equal(received.Sum(System.Text.Encoding.UTF8.GetByteCount), scrape.Value("soketi_socket_transmitted_bytes" + l));
        foreach (var (name, type, help) in SoketiMetrics)
        {
            Assert.Equal(type, scrape.Type("soketi_" + name));
            Assert.Equal(help, scrape.Help("soketi_" + name));
        }

        Assert.Equal("counter", scrape.Type("soketi_process_cpu_seconds_total"));
        Assert.True(scrape.Value($$"""soketi_process_resident_memory_bytes{port="{{server.Port}}"}""") > 0);
        // Orleans' own meters: the channel grain this test activated, by grain type.
        Assert.True(scrape.Value("""microsoft_orleans_orleans_catalog_activations{grain_type="channel"}""") >= 1);
        // The runtime's meter: what a starving thread pool or a growing heap shows first.
        Assert.Equal("gauge", scrape.Type("system_runtime_dotnet_thread_pool_queue_length"));
        Assert.True(scrape.Value("system_runtime_dotnet_thread_pool_thread_count") >= 1);
    }

    [Fact]
    public async Task The_metrics_port_answers_soketis_routes_only_and_the_prefix_names_every_metric()
    {
        await using var receiver = new WebhookReceiver();
        var (started, metricsPort) = await Start(new Dictionary<string, string>
        {
            ["SOKETI_METRICS_PROMETHEUS_PREFIX"] = "myapp_",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{receiver.Url("/hooks")}}","event_types":["channel_occupied"]}]""",
        });
        await using var server = started;
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        using var main = new HttpClient { BaseAddress = server.HttpUri };

        Assert.Equal((200, "OK"), await Get(metrics, "/"));
        Assert.Equal((200, "OK"), await Get(metrics, "/ready"));
        var usage = System.Text.Json.JsonDocument.Parse((await Get(metrics, "/usage")).Body).RootElement.GetProperty("memory");
        Assert.Equal(["free", "used", "total", "percent"], usage.EnumerateObject().Select(p => p.Name));
        Assert.True(usage.GetProperty("used").GetInt64() > 0 && usage.GetProperty("total").GetInt64() > usage.GetProperty("used").GetInt64());
        Assert.Equal(404, (await Get(metrics, "/apps/app-id/channels")).Status);
        Assert.Equal(404, (await Get(metrics, "/accept-traffic")).Status);
        Assert.Equal(404, (await Get(main, "/metrics")).Status);

        var channel = Names.Unique("metrics-webhook-");
        await using var client = await RawPusherClient.Connect(server.WebSocketUri());
        await client.SubscribePublic(channel);
        await receiver.WaitForEvents("/hooks", channel, 1);

        var sentSeries = $$"""myapp_webhooks_sent_total{app_id="app-id",port="{{server.Port}}"}""";
        var scrape = await Eventually.Get(async () => new MetricsScrape((await Get(metrics, "/metrics")).Body),
            s => s.Value(sentSeries) == 1, "the webhook counted as sent");
        foreach (var (name, type, _) in SoketiMetrics)
        {
            Assert.Equal(type, scrape.Type("myapp_" + name));
        }

        Assert.Equal(1, scrape.Value($$"""myapp_connected{app_id="app-id",port="{{server.Port}}"}"""));
        Assert.DoesNotContain(scrape.Names, n => n.StartsWith("soketi_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_metrics_enabled_no_metrics_port_is_opened()
    {
        var metricsPort = FreePort.Next();
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_METRICS_SERVER_PORT"] = metricsPort.ToString() });
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };

        await Assert.ThrowsAsync<HttpRequestException>(() => metrics.GetAsync("/metrics"));
    }

    [Fact]
    public async Task A_busy_metrics_port_stops_start_up_with_one_line_naming_it()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var server = ServerProcess.Launch(new Dictionary<string, string>
        {
            ["SOKETI_METRICS_ENABLED"] = "true",
            ["SOKETI_METRICS_HOST"] = "127.0.0.1",
            ["SOKETI_METRICS_SERVER_PORT"] = port.ToString(),
        });

        Assert.Equal(1, await server.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal($"Port {port} (SOKETI_METRICS_SERVER_PORT) is already in use on 127.0.0.1; stop what holds it or choose another port", server.Output.Trim());
    }

    private static async Task<(int Status, string Body)> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
