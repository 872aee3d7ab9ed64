using Orleans.TestingHost;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Grains;

/// <summary>
/// A gateway's ledger placed in the gateway's own silo, the only one there was, moves once a second
/// silo is up, and keeps what it held: the gateway's next change is recorded as it stands, with
/// nothing to send again.
/// </summary>
public sealed class LedgerMoveTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<ClusterFixture.WithGrainServices>().Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_ledger_moving_away_from_its_gateway_keeps_what_it_recorded()
    {
        var first = _cluster.Primary!.SiloAddress;
        var ledger = _cluster.Client.GetGrain<IGatewayLedgerGrain>(GatewayIds.ForSilo(first));
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var ann = new LedgerEntry(LedgerTarget.Channel, ChannelKey.Format("app", "presence-a"), 1, [new PresenceSocket("1.1", "ann")]);
        Assert.Equal(LedgerAnswer.Recorded, await ledger.Record(new LedgerReport(1, 0, All: true, [ann])));
        Assert.Equal(first, await management.GetActivationAddress(ledger));

        var second = (await _cluster.StartAdditionalSiloAsync()).SiloAddress;
        await Eventually.Get(async () => await management.GetActivationAddress(ledger), silo => second.Equals(silo),
            "the ledger active in the second silo", TimeSpan.FromSeconds(30));

        var bob = new LedgerEntry(LedgerTarget.Channel, ChannelKey.Format("app", "presence-b"), 1, [new PresenceSocket("1.2", "bob")]);
        Assert.Equal(LedgerAnswer.Recorded, await ledger.Record(new LedgerReport(2, 1, All: false, [bob])));
        Assert.Equal(second, await management.GetActivationAddress(ledger));
    }
}
