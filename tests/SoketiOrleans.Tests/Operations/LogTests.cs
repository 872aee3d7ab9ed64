using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// What the server writes: nothing at Information in steady state, one Debug line per connection,
/// subscription and API call with <c>SOKETI_DEBUG</c>, JSON objects with <c>SOKETI_LOG_FORMAT=json</c>.
/// </summary>
public sealed class LogTests
{
    /// <summary>A connection, a subscription, an API publish, the disconnection; then the server drains and exits.</summary>
    private static async Task<(string Output, string SocketId, string Channel)> Traffic(Dictionary<string, string> environment)
    {
        var server = await ServerProcess.Start(environment);
        await using (server)
        {
            var channel = Names.Unique("logged-");
            string socketId;
            await using (var client = await RawPusherClient.Connect(server.WebSocketUri()))
            {
                socketId = client.SocketId;
                await client.SubscribePublic(channel);
                using var api = new PusherApi(server.HttpUri);
                Assert.Equal(200, (await api.Trigger(channel, "logged", "{}")).Status);
                await client.WaitFor("logged");
            }

            server.Terminate();
            Assert.Equal(0, await server.WaitForExit(TimeSpan.FromSeconds(20)));
            return (server.Output, socketId, channel);
        }
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task At_the_default_level_steady_traffic_logs_nothing_between_start_and_the_drain()
    {
        var (output, _, _) = await Traffic([]);

        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"info: SoketiOrleans\[\d+\] SoketiOrleans is listening on 127\.0\.0\.1:\d+ \(adapter local, mode full, 1 apps\)$", lines[0]);
        Assert.EndsWith("Draining: /ready answers 503; 0 sockets will be told 4200 after 0 ms, spread over 3000 ms", lines[1]);
    }

    [Fact]
    public async Task Debug_logs_the_connection_its_subscription_the_api_call_and_the_shutdown()
    {
        var (output, socketId, channel) = await Traffic(new() { ["SOKETI_DEBUG"] = "1" });

        var lines = Lines(output);
        Assert.Contains(lines, l => l.EndsWith($"Socket {socketId} of app app-id connected", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($"Socket {socketId} subscribed to {channel}", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"API app-id POST /apps/app-id/events answered 200 in \d+\.\d ms$"));
        Assert.Contains(lines, l => l.EndsWith($"Socket {socketId} unsubscribed from {channel}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($"Socket {socketId} of app app-id disconnected (close code 1000)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Draining: every socket has left its channels", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} (dbug|info|warn): ", l));
    }

    [Fact]
    public async Task Json_format_writes_one_object_per_line_with_the_structured_fields()
    {
        var (output, socketId, _) = await Traffic(new() { ["SOKETI_DEBUG"] = "1", ["SOKETI_LOG_FORMAT"] = "json" });

        var entries = Lines(output).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.All(entries, e => Assert.Equal(["Timestamp", "EventId", "LogLevel", "Category", "Message", "State"], e.EnumerateObject().Select(p => p.Name)));
        var connected = Assert.Single(entries, e => e.GetProperty("Message").GetString() == $"Socket {socketId} of app app-id connected");
        Assert.Equal(("Debug", "SoketiOrleans.Gateway.Sockets.SocketSession", socketId, "app-id"),
            (connected.GetProperty("LogLevel").GetString(), connected.GetProperty("Category").GetString(),
             connected.GetProperty("State").GetProperty("SocketId").GetString(), connected.GetProperty("State").GetProperty("AppId").GetString()));
    }
}
