namespace SoketiOrleans.Gateway.Users;

/// <summary>Why a <c>pusher:signin</c> failed: the <c>pusher:error</c> it gets and whether the socket is closed with the code.</summary>
public sealed record SignInRefusal(int Code, string Message, bool Close)
{
    // soketi's messages and codes, so clients and operators see what they saw before.
    public static readonly SignInRefusal NotAuthorized = new(4009, "Connection not authorized.", Close: true);

    public static readonly SignInRefusal MissingId = new(4009, "The returned user data must contain the \"id\" field.", Close: true);

    public static readonly SignInRefusal TimedOut = new(4009, "Connection not authorized within timeout.", Close: true);

    public static readonly SignInRefusal AlreadySignedIn = new(4009, "Already signed in as another user.", Close: false);

    public static readonly SignInRefusal InvalidWatchlist = new(4009, "The watchlist must be an array of user ids.", Close: true);

    // No soketi equivalent (it has no watchlists); Pusher's limit, sockudo's code.
    public static readonly SignInRefusal WatchlistTooLong =
        new(4302, $"The watchlist may hold at most {UserData.MaxWatchlistLength} user ids.", Close: false);
}
