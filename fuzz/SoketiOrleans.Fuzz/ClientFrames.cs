using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Fuzz;

/// <summary>
/// Runs a server WebSocket over in-memory pipes that hand each write straight to the waiting reader
/// (no thread, and no test framework's synchronization context in between), and tells what came of a
/// client's bytes.
/// </summary>
internal static class ClientFrames
{
    /// <returns>The messages received, how the reading ended, and the frames written back.</returns>
    public static string Read(byte[][] pieces)
    {
        var inline = new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, useSynchronizationContext: false);
        var fromClient = new Pipe(inline);
        var toClient = new Pipe(inline);
        var socket = new PipeWebSocket(new DefaultConnectionContext("fuzz", new Duplex(fromClient.Reader, toClient.Writer), new Duplex(toClient.Reader, fromClient.Writer)));
        var reading = Receive(socket);
        foreach (var piece in pieces)
        {
            fromClient.Writer.WriteAsync(piece).AsTask().GetAwaiter().GetResult();
        }

        fromClient.Writer.Complete();
        if (!reading.IsCompleted)
        {
            throw new FuzzFailure("The WebSocket still waits after the client's bytes ended");
        }

        toClient.Writer.Complete();
        toClient.Reader.TryRead(out var written);
        return reading.GetAwaiter().GetResult() + "written: " + ServerFrames(written.Buffer.ToArray());
    }

    private static async Task<string> Receive(PipeWebSocket socket)
    {
        var log = new StringBuilder();
        var buffer = new byte[100];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return log.Append($"close {(int?)socket.CloseStatus} {socket.CloseStatusDescription}\n").ToString();
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    log.Append($"{result.MessageType} {Convert.ToHexString(message.ToArray())}\n");
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException e)
        {
            return log.Append($"failed {e.WebSocketErrorCode} {socket.State}\n").ToString();
        }
    }

    /// <summary>Pongs and a close, each a whole unmasked frame; anything else breaks the rule.</summary>
    private static string ServerFrames(byte[] bytes)
    {
        var frames = new StringBuilder();
        for (var at = 0; at < bytes.Length;)
        {
            if (bytes.Length - at < 2 || bytes[at] is not (0x8A or 0x88) || bytes[at + 1] > 125 || bytes.Length - at < 2 + bytes[at + 1])
            {
                throw new FuzzFailure($"Not a whole pong or close at byte {at}: {Convert.ToHexString(bytes)}");
            }

            var length = 2 + bytes[at + 1];
            frames.Append(Convert.ToHexString(bytes, at, length)).Append(' ');
            at += length;
        }

        return frames.ToString();
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
