namespace SoketiOrleans.Presence;

/// <summary>
/// The members of one presence channel, keyed like the channel grain. A user is one member however
/// many sockets it has in the channel, on however many gateways.
/// </summary>
[Alias("so.IPresenceGrain")]
public interface IPresenceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds the socket; announces the user to the others when it is new; then sends the socket its
    /// <c>subscription_succeeded</c> snapshot through the channel grain.
    /// </summary>
    /// <returns>false, and nothing sent, when a new user would exceed the channel's member limit.</returns>
    Task<bool> Join(PresenceJoin join);

    /// <summary>Removes the socket; announces the user's departure when it was its last.</summary>
    Task Leave(string socketId);

    [ReadOnly]
    Task<int> UserCount();

    [ReadOnly]
    Task<string[]> UserIds();
}
