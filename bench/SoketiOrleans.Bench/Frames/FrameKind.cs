namespace SoketiOrleans.Bench.Frames;

/// <summary>The server frames the generator reacts to; everything else (user and client events) is <see cref="Event"/>.</summary>
public enum FrameKind
{
    Event,
    ConnectionEstablished,
    SubscriptionSucceeded,
    SubscriptionError,
    Error,
    Ping,
    Pong,
    MemberAdded,
    MemberRemoved,
    OtherPusher,
}
