namespace SoketiOrleans.Tests.Harness;

/// <summary>One server process shared by a test class (xunit class fixture), default app and options.</summary>
public class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>Extra SOKETI_* variables for this fixture's server.</summary>
    protected virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>();

    public async Task InitializeAsync() => Server = await ServerProcess.Start(Environment);

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
