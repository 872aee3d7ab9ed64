using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// The server's dependency manifest, which the runtime loads assemblies by and which
/// <c>dotnet publish</c> copies files by. Every other test runs the server from it, so an assembly it
/// leaves out that the server needs fails them.
/// </summary>
public sealed class ServerOutputTests
{
    [Fact]
    public void Roslyn_which_orleans_packages_depend_on_is_not_among_the_servers_runtime_assemblies()
    {
        var manifest = Path.ChangeExtension(ServerProcess.ServerAssembly, ".deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(manifest));
        var assemblies = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject()
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(file => Path.GetFileName(file.Name)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Orleans.Runtime.dll", assemblies);
        Assert.DoesNotContain(assemblies, a => a.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || a.StartsWith("Humanizer", StringComparison.Ordinal) || a.StartsWith("System.Composition", StringComparison.Ordinal));
    }
}
