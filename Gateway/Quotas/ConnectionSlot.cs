namespace SoketiOrleans.Gateway.Quotas;

/// <summary>One admitted connection's place in its app's quota, given back once when disposed.</summary>
internal sealed class ConnectionSlot(AppConnectionQuota? quota) : IDisposable
{
    public static readonly ConnectionSlot Unlimited = new(null);

    private int _released;

    public void Dispose()
    {
        if (quota is not null && Interlocked.Exchange(ref _released, 1) == 0)
        {
            quota.Leave();
        }
    }
}
