using SoketiOrleans.Tests.Wire;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Cluster;

// The cross-node suites of the local mode, rerun where the processes find each other by UDP
// discovery and replicate the membership table by Raft, with no Redis.

[Collection(nameof(BroadcastThreeNodes))]
public sealed class BroadcastThreeNodeTests(BroadcastThreeNodeFixture fixture) : TwoNodeTests(fixture);

[Collection(nameof(BroadcastThreeNodes))]
public sealed class BroadcastThreeNodeUserTests(BroadcastThreeNodeFixture fixture) : TwoNodeUserTests(fixture);

public sealed class BroadcastThreeNodeWebhookTests(BroadcastThreeNodeWebhookFixture fixture) : WebhookTwoNodeTests(fixture), IClassFixture<BroadcastThreeNodeWebhookFixture>;

public sealed class BroadcastThreeNodeWebhookCountTests(BroadcastThreeNodeWebhookCountFixture fixture) : WebhookCountTwoNodeTests(fixture), IClassFixture<BroadcastThreeNodeWebhookCountFixture>;

public sealed class BroadcastThreeNodeQuotaTests(BroadcastQuotaFixture fixture) : QuotaTests(fixture), IClassFixture<BroadcastQuotaFixture>;

public sealed class BroadcastThreeNodeRateLimitLeaseTests(BroadcastRateLimitLeaseFixture fixture, ITestOutputHelper output)
    : RateLimitLeaseTests(fixture, output), IClassFixture<BroadcastRateLimitLeaseFixture>;
