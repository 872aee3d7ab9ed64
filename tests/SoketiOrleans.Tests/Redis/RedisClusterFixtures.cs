using SoketiOrleans.Tests.Wire;

namespace SoketiOrleans.Tests.Redis;

/// <summary>Three co-hosted (<c>full</c>) processes against one Redis; A and B are the first two. Client events are on.</summary>
public sealed class RedisThreeNodeFixture : TwoNodeFixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["full", "full", "full"];
}

/// <summary>Two <c>worker</c> processes (grains only) and two <c>server</c> processes (gateways only, A and B) against one Redis.</summary>
public sealed class RedisSplitRoleFixture : TwoNodeFixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["worker", "worker", "server", "server"];
}

[CollectionDefinition(nameof(RedisThreeNodes))]
public sealed class RedisThreeNodes : ICollectionFixture<RedisThreeNodeFixture>;

[CollectionDefinition(nameof(RedisSplitRoles))]
public sealed class RedisSplitRoles : ICollectionFixture<RedisSplitRoleFixture>;

/// <summary>Webhooks raised on gateways outside the silos and sent by the workers: each once.</summary>
public sealed class RedisSplitRoleWebhookFixture : WebhookTwoNodeTests.Fixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["worker", "worker", "server", "server"];
}

public sealed class RedisSplitRoleWebhookCountFixture : WebhookCountTwoNodeTests.Fixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["worker", "worker", "server", "server"];
}

public sealed class RedisQuotaFixture : QuotaClusterFixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["full", "full", "full"];
}

public sealed class RedisRateLimitLeaseFixture : RateLimitLeaseTests.Fixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["worker", "server", "server"];
}

/// <summary>Webhooks raised and sent by co-hosted processes: each once.</summary>
public sealed class RedisThreeNodeWebhookFixture : WebhookTwoNodeTests.Fixture
{
    protected override IReadOnlyList<string>? RedisRoles => ["full", "full", "full"];
}
