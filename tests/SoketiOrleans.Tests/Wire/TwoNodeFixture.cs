using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A real two-process cluster: B joins A's Orleans cluster through A's silo port.</summary>
public sealed class TwoNodeFixture : IAsyncLifetime
{
    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    private static readonly Dictionary<string, string> ClientMessagesEnabled = new()
    {
        ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
    };

    public async Task InitializeAsync()
    {
        A = await ServerProcess.Start(ClientMessagesEnabled);
        B = await ServerProcess.Start(new Dictionary<string, string>(ClientMessagesEnabled)
        {
            ["SOKETI_ORLEANS_PRIMARY_SILO_PORT"] = A.SiloPort.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }
    }
}
