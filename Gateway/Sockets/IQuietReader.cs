using System.IO.Pipelines;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// A connection's reader that can wait for input without failing when the connection is reset (the
/// server's own transport's): a client that goes away without a close handshake is how many
/// connections end, and how every connection of a refused flood ends: the exception for each,
/// thrown, rethrown through two awaits and counted by the runtime's metrics, took a fifth of the
/// server's time while it refused a flood.
/// </summary>
public interface IQuietReader
{
    /// <summary>As <see cref="PipeReader.ReadAsync"/>, except that a reset ends the read as the peer's FIN does: completed, with whatever is left unread.</summary>
    ValueTask<ReadResult> ReadQuietlyAsync(CancellationToken cancellationToken);
}
