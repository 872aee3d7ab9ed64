using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using SoketiOrleans.Silo.Redis;
using SoketiOrleans.Tests.Harness;
using StackExchange.Redis;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// Two silos' membership tables over one real redis-server, which loses its data under them: the
/// first silo to read the empty table writes back every silo it last read as active, not only
/// itself, so no silo's view loses a live one (which its grain directory would take for dead).
/// </summary>
public sealed class RestoringMembershipTableTests : IAsyncLifetime
{
    private const string Key = "soketi:members:test";

    private readonly SiloAddress _a = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private readonly SiloAddress _b = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 2);
    private readonly List<IAsyncDisposable> _disposables = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.Start();

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_silo_that_finds_the_table_empty_writes_back_every_active_silo_it_knew()
    {
        var (a, b) = await TwoSilos(SiloStatus.Active);
        var before = await a.ReadAllAsync();
        Assert.Equal([_a, _b], Active(before));
        Assert.Equal([_a, _b], Active(await b.ReadAllAsync()));

        Assert.Equal("OK", await _redis.Command("FLUSHALL"));

        // A reads first: what it returns (and so what its silo's view becomes) still holds B.
        var afterA = await a.ReadAllAsync();
        Assert.Equal([_a, _b], Active(afterA));
        Assert.True(afterA.Version.Version > before.Version.Version, $"{afterA.Version} after {before.Version}");
        Assert.Equal([_a, _b], Active(await b.ReadAllAsync()));
        Assert.Equal("3", await _redis.Command("HLEN", Key)); // the version and the two silos
    }

    [Fact]
    public async Task A_silo_last_read_as_dead_is_not_written_back()
    {
        var (a, _) = await TwoSilos(SiloStatus.Dead);
        Assert.Equal([_a], Active(await a.ReadAllAsync()));

        Assert.Equal("OK", await _redis.Command("FLUSHALL"));

        var after = await a.ReadAllAsync();
        Assert.Equal([_a], after.Members.Select(m => m.Item1.SiloAddress));
    }

    /// <summary>Silo A, active, and silo B with <paramref name="statusOfB"/>, each in the table through its own.</summary>
    private async Task<(RestoringMembershipTable A, RestoringMembershipTable B)> TwoSilos(SiloStatus statusOfB)
    {
        var a = await Table(_a);
        var b = await Table(_b);
        await a.InitializeMembershipTableAsync(tryInitTableVersion: true);
        Assert.True(await a.InsertRowAsync(Entry(_a), (await a.ReadAllAsync()).Version.Next()));
        Assert.True(await b.InsertRowAsync(Entry(_b, statusOfB), (await b.ReadAllAsync()).Version.Next()));
        return (a, b);
    }

    private static SiloAddress[] Active(MembershipTableData data) =>
        data.Members.Select(m => m.Item1).Where(e => e.Status == SiloStatus.Active).Select(e => e.SiloAddress).OrderBy(s => s.Endpoint.Port).ToArray();

    private static MembershipEntry Entry(SiloAddress silo, SiloStatus status = SiloStatus.Active) => new()
    {
        SiloAddress = silo,
        Status = status,
        SiloName = $"silo-{silo.Endpoint.Port}",
        HostName = "localhost",
        ProxyPort = 0,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
    };

    /// <summary>What a silo's process reads the table through: Orleans' Redis table on a connection of its own, wrapped as in <see cref="RedisClustering"/>.</summary>
    private async Task<RestoringMembershipTable> Table(SiloAddress self)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port}");
        _disposables.Add(connection);
        var builder = new TableBuilder();
        builder.UseRedisClustering(o =>
        {
            o.ConfigurationOptions = ConfigurationOptions.Parse($"127.0.0.1:{_redis.Port}");
            o.CreateMultiplexer = _ => Task.FromResult(((IConnectionMultiplexer)connection, true));
            o.CreateRedisKey = _ => Key;
        });
        builder.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("test", "test"));
        var services = builder.Services.BuildServiceProvider();
        _disposables.Add(services);
        var inner = services.GetRequiredService<IMembershipTable>();
        await inner.InitializeMembershipTableAsync(tryInitTableVersion: false);
        return new RestoringMembershipTable(inner, Key, connection.GetDatabase(), self, NullLogger<RestoringMembershipTable>.Instance);
    }

    private sealed class TableBuilder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
