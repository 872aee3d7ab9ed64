namespace SoketiOrleans.Bench.Scenarios;

public static class Catalog
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("connections", [Connections.Count, Connections.Concurrency], Connections.RunAsync),
        new("fanout", [FanOut.Subscribers, Publishers.Count, Paced.Rate], FanOut.RunAsync),
        new("channels", [Channels.Count, Publishers.Count, Paced.Rate], Channels.RunAsync),
        new("presence", [Presence.Clients, Presence.Channels], Presence.RunAsync),
        new("client-events", [ClientEvents.Pairs, Paced.Rate], ClientEvents.RunAsync),
    ];

    /// <summary>Robustness loads (docs/robustness.md): run by name, not part of <c>all</c>, as they measure recovery, not throughput.</summary>
    public static IReadOnlyList<Scenario> Loads { get; } =
    [
        new("storm", [Storm.Bursts, Storm.BurstSockets], Storm.RunAsync),
        new("churn", [Churn.Rate, Churn.Lifetime], Churn.RunAsync),
        new("neighbour", [Flood.Sockets], Neighbour.Against(Flood.Load)),
        new("neighbour-channels", [ChannelFlood.Channels], Neighbour.Against(ChannelFlood.Load)),
        new("neighbour-slowloris", [Slowloris.Sockets], Neighbour.Against(Slowloris.Load)),
        new("neighbour-slow-readers", [SlowReaders.Readers], Neighbour.Against(SlowReaders.Load)),
        // The neighbours' loads, each run by its neighbour scenario in a process of its own.
        new(Flood.Load.Scenario, [Flood.Sockets], Flood.RunAsync),
        new(ChannelFlood.Load.Scenario, [ChannelFlood.Channels], ChannelFlood.RunAsync),
        new(Slowloris.Load.Scenario, [Slowloris.Sockets], Slowloris.RunAsync),
        new(SlowReaders.Load.Scenario, [SlowReaders.Readers], SlowReaders.RunAsync),
    ];

    /// <summary>Every scenario: the throughput ones, then the loads.</summary>
    public static IReadOnlyList<Scenario> Every { get; } = [.. All, .. Loads];

    public static Scenario Find(string name) =>
        Every.FirstOrDefault(s => s.Name == name)
        ?? throw new UsageException($"unknown scenario '{name}'; known: {string.Join(", ", Every.Select(s => s.Name))}");

    /// <summary><c>all</c> or a comma-separated list of names.</summary>
    public static IReadOnlyList<Scenario> Select(string list) =>
        list == "all" ? All : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Find).ToList();
}
