using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// Which transport serves the port (<c>SOKETI_TRANSPORT</c>): the server's event loops by default,
/// one thread per core; Kestrel's socket transport with <c>sockets</c>. Either carries a WebSocket,
/// its subscription and an HTTP publish to it.
/// </summary>
public sealed class TransportTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("loop")]
    [InlineData("sockets")]
    public async Task The_chosen_transport_serves_sockets_and_the_http_api(string? transport)
    {
        var environment = new Dictionary<string, string>();
        if (transport is not null)
        {
            environment["SOKETI_TRANSPORT"] = transport;
        }

        await using var server = await ServerProcess.Start(environment);
        var channel = Names.Unique("transported-");
        await using (var client = await RawPusherClient.Connect(server.WebSocketUri()))
        {
            await client.SubscribePublic(channel);
            using var api = new PusherApi(server.HttpUri);
            Assert.Equal(200, (await api.Trigger(channel, "carried", "{\"n\":1}")).Status);
            var received = await client.WaitFor("carried");
            Assert.Equal(channel, received.GetProperty("channel").GetString());
            Assert.Equal("{\"n\":1}", received.GetProperty("data").GetString());
        }

        var loops = Directory.GetDirectories($"/proc/{server.Pid}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("event loop ", StringComparison.Ordinal));
        Assert.Equal(transport == "sockets" ? 0 : Math.Min(Environment.ProcessorCount, 16), loops);
    }
}
