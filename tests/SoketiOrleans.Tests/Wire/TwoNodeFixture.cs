using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A real two-process cluster: B joins A's Orleans cluster through A's silo port. Client events are on.</summary>
public class TwoNodeFixture : ServerFixture
{
    protected override int Count => 2;

    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
    };
}

/// <summary>The test classes that need nothing but two processes with client events on share one pair.</summary>
[CollectionDefinition(nameof(TwoNodes))]
public sealed class TwoNodes : ICollectionFixture<TwoNodeFixture>;
