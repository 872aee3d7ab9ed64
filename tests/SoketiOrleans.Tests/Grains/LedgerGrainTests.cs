using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Gateways;
using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Grains;

/// <summary>A gateway's ledger grain: its lease, on a fake clock, and the departure it announces when the lease lapses.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class LedgerGrainTests(ClusterFixture fixture)
{
    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_gateway_whose_lease_lapses_leaves_its_channels_once_and_is_told_so()
    {
        const string name = "presence-ledger";
        var key = ChannelKey.Format(_appId, name);
        var channel = fixture.Grains.GetGrain<IChannelGrain>(key);
        var (staying, lapsing) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var carl = new PresenceSocket("2.1", "carl");
        await channel.Report(staying.Presence(new PresenceSocket("1.1", "ann")), -1);
        await channel.Report(lapsing.Presence(carl), -1);
        var ledger = fixture.Grains.GetGrain<IGatewayLedgerGrain>(lapsing.Id);
        var entry = new LedgerEntry(LedgerTarget.Channel, key, 1, [carl]);
        Assert.Equal(LedgerAnswer.Recorded, await ledger.Record(new LedgerReport(1, 0, true, [entry])));

        ClusterFixture.LeaseClock.Advance(GatewayLedgerGrain.LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Equal(LedgerAnswer.Recorded, await ledger.Record(new LedgerReport(1, 1, false, []))); // renewed in time
        ClusterFixture.LeaseClock.Advance(GatewayLedgerGrain.LeaseDuration + TimeSpan.FromTicks(1));

        // The ledger's check (every second) announces the departure: carl leaves.
        await Eventually.Get(channel.UserIds, ids => ids.SequenceEqual(["ann"]), "carl gone from the channel");
        await channel.Publish(new Publication([9], null, Confirmed: true));
        Assert.Equal(
            ["member_added:1.1", "subscription_succeeded", "member_added:2.1", "member_removed:2.1", "publication"],
            staying.Deliveries.Select(Kind));
        Assert.Equal(
            [WebhookEvent.ChannelOccupied(name), WebhookEvent.MemberAdded(name, "ann"), WebhookEvent.MemberAdded(name, "carl"), WebhookEvent.MemberRemoved(name, "carl")],
            RecordingWebhookEvents.For(_appId, name));
        Assert.Equal(1, await channel.SubscriptionCount());
        Assert.Equal(LedgerAnswer.Departed, await ledger.Record(new LedgerReport(2, 1, false, []))); // it must report everything again
    }

    private static string Kind(ChannelDelivery delivery) =>
        delivery.Frame.Length == 1 ? "publication"
        : RecordingGateway.Text(delivery).Split('"')[3].Split(':')[1] is var kind && kind.StartsWith("member_", StringComparison.Ordinal)
            ? $"{kind}:{delivery.ExceptSocketId}"
            : kind;
}
