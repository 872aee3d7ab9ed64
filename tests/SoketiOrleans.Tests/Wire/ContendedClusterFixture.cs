using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// One two-process cluster for the tests that race many clients at once against something the
/// cluster must decide once (a member cap, a connection quota, a cache replay), configured with a
/// <c>--config</c> file in which each test class owns its app.
/// </summary>
public sealed class ContendedClusterFixture : ServerFixture
{
    public const int MaxMembers = 4;
    public const int MaxConnections = 5;

    protected override int Count => 2;

    protected override string Config => $$"""
        {"appManager.array.apps":[
          {"id":"members","key":"members-key","secret":"members-secret","maxPresenceMembersPerChannel":{{MaxMembers}}},
          {"id":"burst","key":"burst-key","secret":"burst-secret","maxConnections":{{MaxConnections}}},
          {"id":"cache","key":"cache-key","secret":"cache-secret"}
        ]}
        """;
}

[CollectionDefinition(nameof(ContendedCluster))]
public sealed class ContendedCluster : ICollectionFixture<ContendedClusterFixture>;
