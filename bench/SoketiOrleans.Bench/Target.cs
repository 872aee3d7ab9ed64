namespace SoketiOrleans.Bench;

/// <summary>The server under test and the app the bench uses on it.</summary>
public sealed record Target(string Host, int Port, string AppId, string Key, string Secret)
{
    public Uri WebSocketUri => new($"ws://{Host}:{Port}/app/{Uri.EscapeDataString(Key)}?protocol=7&client=bench&version=1.0");

    public Uri HttpBase => new($"http://{Host}:{Port}");
}
