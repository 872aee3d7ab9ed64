using SoketiOrleans.Tests.Wire;

namespace SoketiOrleans.Tests.Cluster;

// The cross-node suites of the local mode, rerun where the processes find each other by UDP
// discovery and replicate the membership table by Raft, with no Redis.

[Collection(nameof(BroadcastThreeNodes))]
public sealed class BroadcastThreeNodeTests(BroadcastThreeNodeFixture fixture) : TwoNodeTests(fixture);

[Collection(nameof(BroadcastThreeNodes))]
public sealed class BroadcastThreeNodeUserTests(BroadcastThreeNodeFixture fixture) : TwoNodeUserTests(fixture);
