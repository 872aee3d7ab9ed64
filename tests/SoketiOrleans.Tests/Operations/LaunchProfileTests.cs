using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// The README's run command (<c>dotnet run --project Silo</c>) starts the server with the runtime
/// setting the container image has (deploy/Dockerfile's test checks that one): the framework's code
/// compiled by the JIT rather than run from its precompiled images (docs/operations.md).
/// </summary>
public sealed class LaunchProfileTests
{
    [Fact]
    public void Dotnet_run_starts_the_server_with_ReadyToRun_off_and_nothing_else_changed()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "Silo", "Properties", "launchSettings.json")));

        var profile = Assert.Single(settings.RootElement.GetProperty("profiles").EnumerateObject()).Value;
        Assert.Equal(["commandName", "environmentVariables"], profile.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Project", profile.GetProperty("commandName").GetString());
        Assert.Equal([("DOTNET_ReadyToRun", "0")], profile.GetProperty("environmentVariables").EnumerateObject().Select(v => (v.Name, v.Value.GetString())));
        Assert.Single(settings.RootElement.EnumerateObject());
    }
}
