using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Ledger;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateways;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The gateway's side of its ledger: what it sends, and what it does with the ledger's answers.</summary>
public sealed class LocalLedgerTests
{
    private readonly LedgerCluster _cluster = new();
    private readonly Reassertion _reassertion = new(new FakeTimeProvider(), NullLogger<Reassertion>.Instance);

    /// <summary>Made after the test's targets, so its first report holds all of them.</summary>
    private LocalLedger Ledger() => new(new GatewayIdentity("gw"), _cluster, _reassertion);

    [Fact]
    public async Task The_first_report_is_the_whole_state_and_later_ones_only_what_changed_since_the_recorded_version()
    {
        var one = new Entry(_reassertion, "one", 1);
        var two = new Entry(_reassertion, "two", 2);
        var ledger = Ledger();
        ledger.Reassert();
        var all = await _cluster.Report(1);
        Assert.True(all.All);
        Assert.Equal(["one:1", "two:2"], all.Entries.Select(Show).Order());

        two.Set(5);
        var delta = await _cluster.Report(2);
        Assert.False(delta.All);
        Assert.Equal(all.Version, delta.BaseVersion);
        Assert.Equal(["two:5"], delta.Entries.Select(Show));

        ledger.Reassert(); // a lease renewal carries nothing new
        var renewal = await _cluster.Report(3);
        Assert.Equal((false, delta.Version, 0), (renewal.All, renewal.BaseVersion, renewal.Entries.Length));
        GC.KeepAlive(one);
    }

    [Fact]
    public async Task A_ledger_that_does_not_hold_the_base_version_gets_everything()
    {
        var one = new Entry(_reassertion, "one", 1);
        var ledger = Ledger();
        ledger.Reassert();
        await _cluster.Report(1);
        _cluster.Answers.Enqueue(LedgerAnswer.NeedsAll);

        ledger.Reassert();

        var again = await _cluster.Report(3);
        Assert.True(again.All);
        Assert.Equal(["one:1"], again.Entries.Select(Show));
        GC.KeepAlive(one);
    }

    [Fact]
    public async Task A_gateway_its_ledger_took_for_gone_reports_everything_everywhere_again()
    {
        var one = new Entry(_reassertion, "one", 1);
        var ledger = Ledger();
        ledger.Reassert();
        await _cluster.Report(1);
        var sentBefore = one.Reports;
        _cluster.Answers.Enqueue(LedgerAnswer.Departed);

        ledger.Reassert();

        Assert.True((await _cluster.Report(3)).All);
        await Eventually.Get(() => Task.FromResult(one.Reports), n => n > sentBefore, "the target reported again");
    }

    private static string Show(LedgerEntry entry) => $"{entry.Key}:{entry.Count}";

    /// <summary>A reported state with a count, acknowledged at once.</summary>
    private sealed class Entry : ReassertedState<int, bool>
    {
        private int _count;

        public Entry(Reassertion owner, string key, int count)
            : base(owner)
        {
            Key = key;
            Set(count);
        }

        public string Key { get; }

        public int Reports { get; private set; }

        public override string Name => Key;

        protected override bool IsEmpty => false;

        public void Set(int count)
        {
            lock (Gate)
            {
                _count = count;
                Changed();
            }

            Schedule();
        }

        public override LedgerEntry? LedgerEntry()
        {
            lock (Gate)
            {
                return new LedgerEntry(LedgerTarget.Channel, Key, _count);
            }
        }

        protected override int Snapshot(long version) => _count;

        protected override Task<bool> Send(int report)
        {
            Reports++;
            return Task.FromResult(true);
        }

        protected override void Acknowledge(int report, bool answer)
        {
        }
    }

    /// <summary>Only the ledger grain answers: with <see cref="Answers"/> in turn, then Recorded.</summary>
    private sealed class LedgerCluster : UnusedCluster
    {
        private readonly ConcurrentQueue<LedgerReport> _reports = new();

        public ConcurrentQueue<LedgerAnswer> Answers { get; } = new();

        /// <summary>The <paramref name="number"/>-th report the ledger received (1-based).</summary>
        public async Task<LedgerReport> Report(int number) =>
            (await Eventually.Get(() => Task.FromResult(_reports.ToArray()), r => r.Length >= number, $"ledger report {number}"))[number - 1];

        public override Task<LedgerAnswer> RecordLedger(string gatewayId, LedgerReport report)
        {
            _reports.Enqueue(report);
            return Task.FromResult(Answers.TryDequeue(out var answer) ? answer : LedgerAnswer.Recorded);
        }
    }
}
