using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// Property-based fuzzing of the WebSocket side against the real server (CsCheck generates the
/// input and shrinks a failure to a small one). For every generated session on a fresh connection:
/// the server answers within a bound, every frame it sends is a JSON object with an event name,
/// every <c>pusher:error</c> carries a Pusher code (4000–4399), and the connection either still
/// answers a ping or was closed with a Pusher code or a WebSocket protocol code for a message that
/// broke the protocol. After all sessions the server serves a clean client and has logged no
/// failure. Run length and seed: <see cref="FuzzSeed"/>.
/// </summary>
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SessionBound = TimeSpan.FromSeconds(15);

    /// <summary>The default app's limit for one message: <c>maxEventPayloadInKb</c> (100) + 16 KB.</summary>
    private const int MaxMessageBytes = 116 * 1024;

    /// <summary>What the WebSocket layer itself answers to a broken message: protocol error, unsupported data (binary), invalid UTF-8, too big.</summary>
    private static readonly int[] ProtocolCloses = [1002, 1003, 1007, 1009];

    [Fact]
    public async Task Generated_sessions_get_pusher_answers_and_never_hurt_the_server()
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true" });

        await FuzzMessages.Session.SampleAsync(session => Run(server, session), writeLine: output.WriteLine, seed: FuzzSeed.Value, iter: FuzzSeed.Iterations, threads: 2,
            print: session => string.Join("\n", session.Select(m => m.ToString())));

        await AfterFuzzing.AssertUnhurt(server);
    }

    private static async Task Run(ServerProcess server, FuzzMessage[] session)
    {
        using var bound = new CancellationTokenSource(SessionBound);
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(server.WebSocketUri(), bound.Token);
        var frames = new List<string>();
        var reading = Read(ws, frames, bound.Token);
        try
        {
            foreach (var message in session)
            {
                await Send(ws, message, bound.Token);
            }

            await Send(ws, new FuzzMessage("""{"event":"pusher:ping","data":{}}"""u8.ToArray(), WebSocketMessageType.Text, 0), bound.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException && !bound.IsCancellationRequested)
        {
            // The server closed the connection (a send on a broken connection reports a cancellation
            // too): the reader has, or will have, how.
        }

        var (pong, closeStatus) = await reading;
        foreach (var frame in frames)
        {
            AssertPusherFrame(frame);
        }

        if (pong || closeStatus is >= 4000 and < 4400)
        {
            return;
        }

        // Only a message that breaks the WebSocket protocol (text that is not UTF-8, a binary message)
        // or the size limit ends a connection otherwise: with a WebSocket close code, or with a reset
        // when the server closes with the client's later bytes unread (the reset can overtake the close frame).
        Assert.True(session.Any(BreaksTheProtocol), $"closed with {closeStatus?.ToString() ?? "a reset"} after: {string.Join(" | ", frames)}");
        Assert.True(closeStatus is null || ProtocolCloses.Contains(closeStatus.Value), $"closed with {closeStatus}");
    }

    private static bool BreaksTheProtocol(FuzzMessage message) =>
        message.Type == WebSocketMessageType.Binary || message.Bytes.Length > MaxMessageBytes || !System.Text.Unicode.Utf8.IsValid(message.Bytes);

    private static async Task Send(ClientWebSocket ws, FuzzMessage message, CancellationToken cancel)
    {
        if (message.FragmentSize == 0 || message.Bytes.Length == 0)
        {
            await ws.SendAsync(message.Bytes, message.Type, true, cancel);
            return;
        }

        for (var offset = 0; offset < message.Bytes.Length; offset += message.FragmentSize)
        {
            var length = Math.Min(message.FragmentSize, message.Bytes.Length - offset);
            await ws.SendAsync(message.Bytes.AsMemory(offset, length), message.Type, offset + length == message.Bytes.Length, cancel);
        }
    }

    /// <returns>Whether the pong to the closing ping came (the connection is alive), else the close status.</returns>
    private static async Task<(bool Pong, int? CloseStatus)> Read(ClientWebSocket ws, List<string> frames, CancellationToken cancel)
    {
        var buffer = new byte[256 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer, cancel);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (false, (int?)result.CloseStatus);
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = Encoding.UTF8.GetString(message.ToArray());
                message.SetLength(0);
                frames.Add(frame);
                if (frame == """{"event":"pusher:pong","data":{}}""")
                {
                    return (true, null);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the server neither answered the ping nor closed within {SessionBound}: {string.Join(" | ", frames)}");
        }
        catch (WebSocketException)
        {
            return (false, (int?)ws.CloseStatus);
        }
    }

    private static void AssertPusherFrame(string frame)
    {
        using var json = JsonDocument.Parse(frame);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("event").ValueKind);
        if (root.GetProperty("event").GetString() == "pusher:error")
        {
            Assert.InRange(root.GetProperty("data").GetProperty("code").GetInt32(), 4000, 4399);
        }
    }
}
