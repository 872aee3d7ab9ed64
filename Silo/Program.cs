using System.Net;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Grains.Hosting;
using SoketiOrleans.Silo;
using SoketiOrleans.Silo.Configuration;

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

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
ServerLogging.Configure(builder.Logging, options.Debug);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = options.Gateway.HttpRequestLimitBytes;
    if (options.Host == "localhost")
    {
        kestrel.ListenLocalhost(options.Port);
    }
    else
    {
        kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
    }
});
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGracePeriod + TimeSpan.FromSeconds(5));
builder.UseOrleans(silo =>
{
    LocalClustering.Configure(silo, options.Orleans);
    Failover.Configure(silo);
});
builder.Services.AddSingleton<IAppManager>(new ArrayAppManager(options.Apps));
builder.Services.AddSoketiGrains(options.Grains);

// Co-hosted: the gateway is named after its silo, whose death in the membership is the gateway's death.
builder.Services.AddSingleton(sp => new GatewayIdentity(GatewayIds.ForSilo(sp.GetRequiredService<ILocalSiloDetails>().SiloAddress)));
builder.Services.AddSoketiGateway(options.Gateway);
builder.Services.AddHostedService<MembershipReassertion>();

var app = builder.Build();
app.MapSoketiGateway();
ServerLogging.Started(app, options);
await app.RunAsync();
return 0;
