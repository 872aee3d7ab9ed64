using System.Net;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// <c>websockets.maxConnectionsPerAddressPerSecond</c>: a client address that opens connections faster
/// than its allowance gets the rest refused the Pusher way (<c>pusher:error</c> 4100 and close 4100,
/// which pusher-js backs off from); other addresses are not held back. Off by default, as in soketi.
/// </summary>
public sealed class ConnectionsPerAddressTests
{
    private const string Refusal = "Too many new connections from this address; try again later.";
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.3");

    [Theory]
    [InlineData("loop")]
    [InlineData("sockets")]
    public async Task A_connection_over_the_address_s_allowance_is_refused_with_4100_and_other_addresses_still_connect(string transport)
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string>
        {
            ["SOKETI_WEBSOCKETS_MAX_CONNECTIONS_PER_ADDRESS_PER_SECOND"] = "1",
            ["SOKETI_TRANSPORT"] = transport,
        });

        await using var first = await RawConnection.OpenWebSocket(server.Port, Flooder);
        await using (var over = await RawConnection.Upgraded(server.Port, Flooder))
        {
            Assert.Equal(Frames.Error(4100, Refusal), await over.ReadTextFrame());
            Assert.Equal((4100, Refusal), await over.ReadCloseFrame());
        }

        await using var neighbour = await RawConnection.OpenWebSocket(server.Port, Neighbour);
        await Eventually.Get(() => Task.FromResult(server.Output), o => o.Contains(
            "Refused 1 connections over the limit of 1 a second per address since the last warning (the latest from 127.0.0.2)",
            StringComparison.Ordinal), "the refusal's warning");

        // A rate, not a cap on open connections: once a second has passed, the address has its one again.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using var later = await RawConnection.OpenWebSocket(server.Port, Flooder);
    }
}
