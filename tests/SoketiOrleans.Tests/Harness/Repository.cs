namespace SoketiOrleans.Tests.Harness;

/// <summary>The repository these tests were built from.</summary>
public static class Repository
{
    /// <summary>The directory holding SoketiOrleans.sln, found upwards from the tests' binaries.</summary>
    public static string Root
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "SoketiOrleans.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException($"No SoketiOrleans.sln above {AppContext.BaseDirectory}");
        }
    }
}
