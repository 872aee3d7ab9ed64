namespace SoketiOrleans.Silo.Transport;

/// <summary>A socket an <see cref="EventLoop"/> watches: a connection, or a listener whose waiting connections it accepts.</summary>
internal interface IWatched
{
    /// <summary>On the loop's thread: epoll reported these events for the socket.</summary>
    void OnReady(int events);
}
