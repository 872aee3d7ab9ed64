namespace SoketiOrleans.Tests.Harness;

/// <summary>Channel names no other test uses, so tests sharing a server never see each other's traffic.</summary>
public static class Names
{
    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];
}
