namespace SoketiOrleans.Quotas;

/// <summary>Tokens granted from one window of a <see cref="IRateLimitGrain"/>.</summary>
/// <param name="Window">Identifies the window; tokens of different windows never add up.</param>
/// <param name="Remaining">What the window has left for every gateway after this grant.</param>
/// <param name="ValidFor">Time left in the window when the grant was made; unspent tokens lapse then.</param>
[GenerateSerializer, Immutable, Alias("so.RateLease")]
public sealed record RateLease(
    [property: Id(0)] long Window,
    [property: Id(1)] int Granted,
    [property: Id(2)] int Remaining,
    [property: Id(3)] TimeSpan ValidFor);
