using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Silo;
using SoketiOrleans.Silo.Cluster;
using SoketiOrleans.Silo.Configuration;
using SoketiOrleans.Silo.Metrics;
using SoketiOrleans.Silo.Redis;
using SoketiOrleans.Silo.Tls;
using SoketiOrleans.Silo.Transport;

// First: the thread pool reads this once, as its first worker starts; and the threads started
// from here on take the main thread's scheduling policy.
SingleCoreThreadPool.Apply(Environment.ProcessorCount);
BatchScheduling.Apply(Environment.ProcessorCount);
FileTable.Reserve();

SoketiOptions options;
try
{
    var environment = DotEnvFile.Merge(ConfigLoader.ProcessEnvironment(), Path.Combine(Environment.CurrentDirectory, ".env"));
    options = ConfigLoader.Load(args, environment);
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (Ports.Busy(options) is { Count: > 0 } busy)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, busy));
    return 1;
}

RedisStore? redis = null;
if (options.Redis is { } redisOptions)
{
    try
    {
        redis = await RedisConnector.Connect(redisOptions);
    }
    catch (RedisUnreachableException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

// In cluster mode a node cut off from the majority ends its incarnation and the process serves
// again as a new node once it has rejoined; every other ending ends the process.
var rejoin = new ClusterRejoin();
var portRetries = 0;
do
{
    rejoin.Reset();
    try
    {
        await Serve(options, redis, rejoin);
    }
    catch (AddressInUseException e) when (++portRetries <= 3)
    {
        // Ports given by the operator were checked above; a port this process picked as free (the
        // silo's, by default) can be taken before it is bound, e.g. as the source port of another
        // process's outgoing connection. Starting again picks new ones.
        Console.Error.WriteLine($"{e.Message} while starting; starting again with newly picked ports");
        rejoin.Request("a port was taken while starting");
    }
}
while (rejoin.Reason is not null);

return 0;

static async Task Serve(SoketiOptions options, RedisStore? redis, ClusterRejoin rejoin)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
    ServerLogging.Configure(builder.Logging, options.Debug, options.JsonLogs);
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.Limits.MaxRequestBodySize = options.Gateway.HttpRequestLimitBytes;
        var tls = TlsListener.Configure(kestrel, options.Tls);
        // The guard first (a connection it refuses costs nothing more), then TLS: the upgrades read what it decrypts.
        Action<ListenOptions> listen = port =>
        {
            var guard = port.ApplicationServices.GetRequiredService<ConnectionGuard>();
            if (options.Tls is null && port.ApplicationServices.GetService<LoopFronts>() is { } fronts)
            {
                // The event loops run the guard and the upgrades themselves; Kestrel gets HTTP only.
                var upgrades = GatewayHostingExtensions.SoketiUpgradesOpen(port.ApplicationServices);
                fronts.Set(options.Port, guard, kestrel => upgrades is null
                    ? connection => Task.FromResult(kestrel(connection))
                    : connection => upgrades(connection, kestrel));
                return;
            }

            port.Use(next => connection => guard.OnConnection(connection, next));
            tls(port);
            port.UseSoketiUpgrades();
        };
        if (options.Host == "localhost")
        {
            kestrel.ListenLocalhost(options.Port, listen);
        }
        else
        {
            kestrel.Listen(Ports.ListenAddress(options.Host), options.Port, listen);
        }

        MetricsPort.Listen(kestrel, options.Metrics);
    });
    // The drain (its delay, then sockets told to go over the grace period), then the webhook queue's own grace period.
    builder.Services.Configure<HostOptions>(host =>
        host.ShutdownTimeout = options.ShutdownDrainDelay + options.ShutdownGracePeriod * 2 + TimeSpan.FromSeconds(5));
    if (options.EventLoops && Linux.Available)
    {
        builder.Services.AddSingleton<LoopFronts>();
        builder.Services.AddSingleton<IConnectionListenerFactory, LoopTransport>();
    }

    builder.Services.AddSingleton<ConnectionGuard>();
    builder.Services.AddSingleton(_ => new MetricsRegistry(options));
    builder.Services.AddSingleton(sp => sp.GetRequiredService<MetricsRegistry>().Gateway);
    builder.Services.AddSingleton<IAppManager>(new ArrayAppManager(options.Apps));
    Roles.Add(builder, options, redis, rejoin);

    await using var app = builder.Build();
    if (redis is not null)
    {
        ActivatorUtilities.CreateInstance<RedisConnectionLog>(app.Services).Watch(redis.Connection);
    }

    MetricsPort.Use(app, options);
    app.UseRouting();
    Roles.Map(app, options);
    ServerLogging.Started(app, options);
    try
    {
        await app.RunAsync();
    }
    catch (OperationCanceledException) when (rejoin.Reason is not null)
    {
        // Stopped while it waited for its cluster: it starts over as a new node.
    }
}
