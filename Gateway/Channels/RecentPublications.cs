namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// The ids of the last publications a channel delivered here. An HTTP publish is retried when its
/// grain's silo fails mid-call, and may then arrive twice (once from the lost activation, once from
/// the new one): the second copy is dropped. Not thread-safe: the owning channel's lock guards it.
/// </summary>
internal sealed class RecentPublications
{
    // A retry comes within seconds; this many ids cover far more than that at any realistic rate per channel.
    private const int Capacity = 1024;

    private readonly HashSet<long> _ids = [];
    private readonly Queue<long> _order = new();

    /// <returns>false when <paramref name="publishId"/> was seen already.</returns>
    public bool Add(long publishId)
    {
        if (!_ids.Add(publishId))
        {
            return false;
        }

        _order.Enqueue(publishId);
        if (_order.Count > Capacity)
        {
            _ids.Remove(_order.Dequeue());
        }

        return true;
    }
}
