using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Tests.Redis;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The allowance of new connections per address: one second's worth at once, then that many a second.</summary>
public sealed class ConnectsPerAddressTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void An_address_may_open_a_second_s_worth_at_once_then_as_many_a_second()
    {
        var limit = Limit(perSecond: 4);
        var address = IPAddress.Parse("192.0.2.1");

        Assert.Equal([true, true, true, true, false], Take(limit, address, 5));
        _time.Advance(TimeSpan.FromMilliseconds(125));
        Assert.False(limit.TryTake(address));
        _time.Advance(TimeSpan.FromMilliseconds(125));
        Assert.Equal([true, false], Take(limit, address, 2));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([true, true, true, true, false], Take(limit, address, 5));
    }

    [Fact]
    public void Addresses_have_their_own_allowance_and_IPv6_counts_per_64_bit_prefix()
    {
        var limit = Limit(perSecond: 1);

        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.1")));
        Assert.False(limit.TryTake(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.2")));
        Assert.True(limit.TryTake(IPAddress.Parse("2001:db8:0:1::1")));
        Assert.False(limit.TryTake(IPAddress.Parse("2001:db8:0:1:ffff:ffff:ffff:ffff")));
        Assert.True(limit.TryTake(IPAddress.Parse("2001:db8:0:2::1")));
    }

    [Fact]
    public void Without_a_limit_every_connection_is_allowed_and_nothing_is_kept()
    {
        var limit = Limit(perSecond: 0);
        var address = IPAddress.Parse("192.0.2.1");

        Assert.False(limit.Limited);
        Assert.All(Take(limit, address, 1000), Assert.True);
        Assert.Equal(0, limit.TrackedAddresses);
    }

    [Fact]
    public void A_connection_whose_address_was_not_read_is_not_counted()
    {
        var limit = Limit(perSecond: 1);

        Assert.All(Take(limit, null, 10), Assert.True);
        Assert.Equal(0, limit.TrackedAddresses);
    }

    [Fact]
    public void The_sweep_forgets_an_address_once_its_allowance_is_whole_again()
    {
        var limit = Limit(perSecond: 2);
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.1")));
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.2")));
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.2")));

        _time.Advance(TimeSpan.FromMilliseconds(250));
        limit.Sweep();
        Assert.Equal(2, limit.TrackedAddresses);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        limit.Sweep();
        Assert.Equal(1, limit.TrackedAddresses);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        limit.Sweep();
        Assert.Equal(0, limit.TrackedAddresses);
    }

    [Fact]
    public void Refusals_are_logged_at_most_every_ten_seconds_with_how_many_there_were()
    {
        var log = new RecordingLogger<ConnectsPerAddress>();
        var limit = Limit(perSecond: 1, log);
        var address = IPAddress.Parse("192.0.2.1");
        Assert.Equal([true, false, false, false], Take(limit, address, 4));
        _time.Advance(TimeSpan.FromMilliseconds(9999));
        Assert.Equal([true, false], Take(limit, address, 2));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(limit.TryTake(IPAddress.Parse("2001:db8::1")) && limit.TryTake(IPAddress.Parse("2001:db8::2")));

        Assert.Equal(
        [
            (LogLevel.Warning, "Refused 1 connections over the limit of 1 a second per address since the last warning (the latest from 192.0.2.1)"),
            (LogLevel.Warning, "Refused 4 connections over the limit of 1 a second per address since the last warning (the latest from 2001:db8::)"),
        ], log.Lines);
    }

    private ConnectsPerAddress Limit(int perSecond, ILogger<ConnectsPerAddress>? log = null) => new(
        new GatewayOptions("", new PusherSocketOptions(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 1024, 1000, perSecond), 1024,
            TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30), new DrainOptions(TimeSpan.Zero, TimeSpan.FromSeconds(3)), 85, CorsOptions.Defaults),
        _time, log ?? NullLogger<ConnectsPerAddress>.Instance);

    private static bool[] Take(ConnectsPerAddress limit, IPAddress? address, int times) =>
        Enumerable.Range(0, times).Select(_ => limit.TryTake(address)).ToArray();
}
