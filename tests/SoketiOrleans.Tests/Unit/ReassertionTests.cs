using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The gateway's one re-assertion component, on a fake clock, with a grain the test answers for.</summary>
public sealed class ReassertionTests : IAsyncLifetime
{
    private static readonly TimeSpan ProvingAbsence = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new();
    private readonly Reassertion _reassertion;

    public ReassertionTests() => _reassertion = new Reassertion(_time, NullLogger<Reassertion>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _reassertion.StopAsync(CancellationToken.None);

    [Fact]
    public async Task Changes_made_while_a_report_is_in_flight_are_folded_into_one_more_report_with_the_latest_state()
    {
        var target = new Counter(_reassertion);
        var first = target.HoldNext();
        var one = target.Set(1);
        await first.Arrived;

        var later = new[] { target.Set(2), target.Set(3), target.Set(4) };
        first.Answer();
        await Task.WhenAll([one, .. later]);

        Assert.Equal([1, 4], target.Sent.Select(r => r.Count));
        Assert.Equal(1, target.MostInFlight);
    }

    /// <summary>
    /// Orleans gives a call's completion source back to the pool of the thread that reads the answer:
    /// reports sent from a thread that never reads answers (an event loop) would leave one in a
    /// worker's pool for every report, for good.
    /// </summary>
    [Fact]
    public async Task A_report_asked_for_on_a_thread_outside_the_pool_is_sent_from_the_pool()
    {
        var target = new Counter(_reassertion);
        Task? acknowledged = null;
        var loop = new Thread(() => acknowledged = target.Set(1)) { IsBackground = true, Name = "not the pool" };

        loop.Start();
        loop.Join();
        await acknowledged!;

        Assert.Equal([true], target.SentFromPool);
    }

    [Fact]
    public async Task A_waiter_is_released_by_the_report_that_includes_its_change_and_not_before()
    {
        var target = new Counter(_reassertion);
        var first = target.HoldNext();
        var one = target.Set(1);
        await first.Arrived;
        var second = target.HoldNext();
        var two = target.Set(2);

        first.Answer();
        await one;
        await second.Arrived;
        Assert.False(two.IsCompleted);

        second.Answer();
        await two;
    }

    [Fact]
    public async Task A_failed_report_is_retried_after_doubling_delays_up_to_five_seconds_with_the_latest_state()
    {
        var delays = new ConcurrentQueue<(TimeSpan Delay, TaskCompletionSource Over)>();
        var reassertion = new Reassertion(_time, NullLogger<Reassertion>.Instance)
        {
            Delay = delay =>
            {
                var over = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                delays.Enqueue((delay, over));
                return over.Task;
            },
        };
        var target = new Counter(reassertion) { FailuresLeft = 9 };
        var done = target.Set(1);
        Task latest = Task.CompletedTask;
        for (var attempt = 1; attempt <= 9; attempt++)
        {
            await Eventually.Get(() => Task.FromResult(delays.Count), n => n == attempt, $"the wait after failure {attempt}");
            if (attempt == 9)
            {
                latest = target.Set(7); // changed while waiting to retry
            }

            delays.ToArray()[^1].Over.SetResult();
        }

        await Task.WhenAll(done, latest);
        Assert.Equal([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000], delays.Select(d => d.Delay.TotalMilliseconds));
        Assert.Equal([.. Enumerable.Repeat(1, 9), 7], target.Sent.Select(r => r.Count));
        Assert.Equal(1, target.MostInFlight);
    }

    [Fact]
    public async Task A_report_left_unanswered_for_five_seconds_is_sent_again_and_the_answer_to_that_one_acknowledges_it()
    {
        var target = new Counter(_reassertion);
        var unanswered = target.HoldNext();
        var acknowledged = target.Set(1);
        await unanswered.Arrived;

        _time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(ProvingAbsence);
        Assert.Single(target.Sent);

        await Eventually.Get(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return Task.FromResult(target.Sent.Count);
        }, n => n == 2, "the report sent again");
        await acknowledged;
        Assert.Equal([(1, 1), (1, 1)], target.Sent);
    }

    [Fact]
    public async Task Reassert_sends_the_unchanged_state_again()
    {
        var target = new Counter(_reassertion);
        await target.Set(2);

        target.Reassert();

        var sent = await target.Calls(2);
        Assert.Equal(sent[0], sent[1]);
    }

    [Fact]
    public async Task A_target_whose_empty_state_was_acknowledged_retires_and_is_reasserted_no_more()
    {
        var target = new Counter(_reassertion);
        await target.Set(1);
        Assert.Contains(target, _reassertion.Targets);

        await target.Set(0);

        await Eventually.Get(() => Task.FromResult(target.IsGone), gone => gone, "the target to retire");
        Assert.DoesNotContain(target, _reassertion.Targets);
        _reassertion.ReassertAll();
        await Task.Delay(ProvingAbsence);
        Assert.Equal(2, target.Sent.Count);
    }

    [Fact]
    public async Task The_ledger_is_renewed_every_five_seconds_and_every_target_is_reasserted_once_a_minute_spread_over_it()
    {
        var targets = Enumerable.Range(0, 24).Select(_ => new Counter(_reassertion)).ToArray();
        var ledger = new Counter(_reassertion);
        var changesSeen = new ConcurrentQueue<ReassertedState>();
        _reassertion.AttachLedger(ledger, changesSeen.Enqueue);
        await Task.WhenAll(targets.Select(t => t.Set(1)));
        await ledger.Set(1);
        Assert.Equal(targets.Length, changesSeen.Count); // the ledger hears of every other target's changes, not of its own
        await _reassertion.StartAsync(CancellationToken.None);

        for (var round = 1; round <= Reassertion.Rounds; round++)
        {
            _time.Advance(Reassertion.LeaseRenewal);
            await ledger.Calls(1 + round);
            var due = targets.Where(t => Reassertion.RoundOf(t) is var r && (r == 0 ? round == Reassertion.Rounds : r <= round)).ToArray();
            await Eventually.Get(() => Task.FromResult(targets.Sum(t => t.Sent.Count)), sent => sent == targets.Length + due.Length,
                $"the targets of rounds up to {round} re-asserted");
            Assert.All(due, t => Assert.Equal(2, t.Sent.Count));
        }

        Assert.All(targets, t => Assert.Equal(2, t.Sent.Count)); // each once in the minute
        Assert.True(targets.Select(Reassertion.RoundOf).Distinct().Count() > 1, "the targets were not spread over the rounds");
    }

    /// <summary>A count held at a grain; the test decides when (and whether) the grain answers.</summary>
    private sealed class Counter(Reassertion owner) : ReassertedState<(long Version, int Count), bool>(owner)
    {
        private readonly ConcurrentQueue<Hold> _holds = new();
        private int _count;
        private int _inFlight;

        public ConcurrentQueue<(long Version, int Count)> Sent { get; } = new();

        /// <summary>For each report, whether it was sent from a thread of the thread pool.</summary>
        public ConcurrentQueue<bool> SentFromPool { get; } = new();

        public int MostInFlight { get; private set; }

        public int FailuresLeft { get; set; }

        public bool IsGone { get; private set; }

        public override string Name => "counter";

        protected override bool IsEmpty => _count == 0;

        public Task Set(int count)
        {
            long version;
            lock (Gate)
            {
                _count = count;
                version = Changed();
            }

            Schedule();
            return WhenAcknowledged(version);
        }

        /// <summary>The next report waits at the grain until answered.</summary>
        public Hold HoldNext()
        {
            var hold = new Hold();
            _holds.Enqueue(hold);
            return hold;
        }

        public Task<IReadOnlyList<(long Version, int Count)>> Calls(int count) =>
            Eventually.Get(() => Task.FromResult<IReadOnlyList<(long Version, int Count)>>([.. Sent]), s => s.Count >= count, $"{count} reports");

        protected override (long Version, int Count) Snapshot(long version) => (version, _count);

        protected override async Task<bool> Send((long Version, int Count) report)
        {
            SentFromPool.Enqueue(Thread.CurrentThread.IsThreadPoolThread);
            MostInFlight = Math.Max(MostInFlight, Interlocked.Increment(ref _inFlight));
            try
            {
                Sent.Enqueue(report);
                if (_holds.TryDequeue(out var hold))
                {
                    await hold.Reached();
                }

                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    throw new TimeoutException("the grain did not answer");
                }

                return true;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        protected override void Acknowledge((long Version, int Count) report, bool answer)
        {
        }

        protected override void Retired() => IsGone = true;
    }

    private sealed class Hold
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arrived => _arrived.Task;

        public Task Reached()
        {
            _arrived.TrySetResult();
            return _answer.Task;
        }

        public void Answer() => _answer.TrySetResult();
    }
}
