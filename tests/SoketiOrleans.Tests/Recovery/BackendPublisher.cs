using System.Collections.Concurrent;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Recovery.ClusterProbe;

namespace SoketiOrleans.Tests.Recovery;

/// <summary>
/// A backend publishing to every channel in turn, one request at a time, alternating between
/// gateways, before, during and after a failure: it records which numbered events were
/// acknowledged (200) and how many were refused (which must be Pusher-style 503s).
/// </summary>
public sealed class BackendPublisher
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ConcurrentQueue<int>> _acknowledged;
    private readonly Task _loop;
    private int _unavailable;

    private BackendPublisher(IReadOnlyList<PusherApi> gateways, IReadOnlyList<string> channels)
    {
        _acknowledged = channels.ToDictionary(ch => ch, _ => new ConcurrentQueue<int>());
        _loop = Task.Run(() => Publish(gateways, channels));
    }

    public static BackendPublisher Start(IReadOnlyList<PusherApi> gateways, IReadOnlyList<string> channels) => new(gateways, channels);

    public int Acknowledged => _acknowledged.Values.Sum(q => q.Count);

    public int Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>Waits until <paramref name="more"/> further publishes were acknowledged (or the loop failed, which <see cref="Stop"/> then reports).</summary>
    public async Task WaitForMore(int more, string what, TimeSpan? timeout = null)
    {
        var target = Acknowledged + more;
        await Eventually.Get(() => Task.FromResult(Acknowledged), n => n >= target || _loop.IsCompleted, what, timeout);
    }

    public async Task Stop()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>What a subscriber of <paramref name="channel"/> received: in publish order, never twice, every acknowledged event.</summary>
    public void AssertReceivedExactly(IReadOnlyList<JsonElement> frames, string channel)
    {
        var received = frames.Where(f => Channel(f) == channel && Event(f) == "e").Select(f => int.Parse(f.GetProperty("data").GetString()!)).ToArray();
        Assert.Equal(received.Order(), received);
        Assert.Equal(received.Length, received.Distinct().Count());
        Assert.Empty(_acknowledged[channel].Except(received));
    }

    public override string ToString() => $"{Unavailable} publishes answered 503 of {Acknowledged + Unavailable}";

    private async Task Publish(IReadOnlyList<PusherApi> gateways, IReadOnlyList<string> channels)
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            foreach (var channel in channels)
            {
                n++;
                var (status, body) = await gateways[n % gateways.Count].Trigger(channel, "e", n.ToString());
                if (status == 200)
                {
                    _acknowledged[channel].Enqueue(n);
                }
                else
                {
                    Assert.Equal(503, status);
                    Assert.Contains("\"code\":503", body);
                    Interlocked.Increment(ref _unavailable);
                }
            }
        }
    }
}
