using SoketiOrleans.Quotas;

namespace SoketiOrleans.Grains.Quotas;

/// <summary>
/// The budget of one app's limit for the whole cluster. Soft state: when its silo dies the window
/// starts over, so at most one window can see up to twice the limit.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class RateLimitGrain : Grain, IRateLimitGrain
{
    private readonly RateWindow _window = new();

    public Task<RateLease> Lease(int wanted, int limit) =>
        Task.FromResult(_window.Lease(wanted, limit, Environment.TickCount64));
}
