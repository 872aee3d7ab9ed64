using SoketiOrleans.Tests.Wire;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Redis;

// The cross-node suites of the local mode, rerun where the processes find each other through Redis.

[Collection(nameof(RedisThreeNodes))]
public sealed class RedisThreeNodeTests(RedisThreeNodeFixture fixture) : TwoNodeTests(fixture);

[Collection(nameof(RedisThreeNodes))]
public sealed class RedisThreeNodeUserTests(RedisThreeNodeFixture fixture) : TwoNodeUserTests(fixture);

[Collection(nameof(RedisSplitRoles))]
public sealed class RedisSplitRoleTests(RedisSplitRoleFixture fixture) : TwoNodeTests(fixture);

[Collection(nameof(RedisSplitRoles))]
public sealed class RedisSplitRoleUserTests(RedisSplitRoleFixture fixture) : TwoNodeUserTests(fixture);

public sealed class RedisSplitRoleWebhookTests(RedisSplitRoleWebhookFixture fixture) : WebhookTwoNodeTests(fixture), IClassFixture<RedisSplitRoleWebhookFixture>;

public sealed class RedisSplitRoleWebhookCountTests(RedisSplitRoleWebhookCountFixture fixture) : WebhookCountTwoNodeTests(fixture), IClassFixture<RedisSplitRoleWebhookCountFixture>;

public sealed class RedisThreeNodeQuotaTests(RedisQuotaFixture fixture) : QuotaTests(fixture), IClassFixture<RedisQuotaFixture>;

public sealed class RedisSplitRoleRateLimitLeaseTests(RedisRateLimitLeaseFixture fixture, ITestOutputHelper output)
    : RateLimitLeaseTests(fixture, output), IClassFixture<RedisRateLimitLeaseFixture>;

public sealed class RedisThreeNodeWebhookTests(RedisThreeNodeWebhookFixture fixture) : WebhookTwoNodeTests(fixture), IClassFixture<RedisThreeNodeWebhookFixture>;
