using SoketiOrleans.Tests.Wire;

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
