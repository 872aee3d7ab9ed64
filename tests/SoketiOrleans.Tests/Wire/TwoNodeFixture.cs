using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A real two-process cluster: B joins A's Orleans cluster through A's silo port.</summary>
public class TwoNodeFixture : IAsyncLifetime
{
    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    /// <summary>SOKETI_* variables for both processes.</summary>
    protected virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
    };

    public async Task InitializeAsync()
    {
        A = await ServerProcess.Start(Environment);
        B = await ServerProcess.Start(new Dictionary<string, string>(Environment)
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
