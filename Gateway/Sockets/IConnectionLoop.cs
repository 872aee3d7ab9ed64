namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// A connection served by an event loop (the server's own transport, on Linux). Its socket's writer
/// runs there: on the loop no other thread takes turns with it at the core, what the writer flushes
/// is sent without another hand-over, and frames written in a round are sent after what the round
/// is handling (an HTTP publish is answered first).
/// </summary>
public interface IConnectionLoop
{
    /// <summary>Runs the work on the connection's loop: later in the round when called there, else handed over to it.</summary>
    void Queue(IThreadPoolWorkItem work);
}
