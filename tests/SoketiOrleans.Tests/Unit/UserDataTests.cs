using SoketiOrleans.Gateway.Users;

namespace SoketiOrleans.Tests.Unit;

public sealed class UserDataTests
{
    [Theory]
    [InlineData("""{"id":"u-1","user_info":{"name":"Ann"}}""", "u-1")]
    [InlineData("""{"id":1001}""", "1001")]
    [InlineData("""{"id":"a:b"}""", "a:b")]
    public void Reads_string_and_numeric_ids(string userData, string id)
    {
        var user = UserData.Parse(userData, out var refusal);

        Assert.Null(refusal);
        Assert.Equal(id, user!.Id);
        Assert.Empty(user.Watchlist);
    }

    [Fact]
    public void Reads_the_watchlist_with_numbers_as_their_text_and_without_repeats()
    {
        var user = UserData.Parse("""{"id":"1","watchlist":["2",3,"2"]}""", out var refusal);

        Assert.Null(refusal);
        Assert.Equal(["2", "3"], user!.Watchlist);
    }

    [Theory]
    [InlineData("""{"name":"Ann"}""")]
    [InlineData("""{"id":""}""")]
    [InlineData("""{"id":true}""")]
    [InlineData("""{"id":["1"]}""")]
    public void Refuses_user_data_without_a_usable_id(string userData)
    {
        Assert.Null(UserData.Parse(userData, out var refusal));
        Assert.Same(SignInRefusal.MissingId, refusal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"1\"")]
    public void Refuses_user_data_that_is_not_an_object(string userData)
    {
        Assert.Null(UserData.Parse(userData, out var refusal));
        Assert.Same(SignInRefusal.NotAuthorized, refusal);
    }

    [Theory]
    [InlineData("""{"id":"1","watchlist":"2"}""")]
    [InlineData("""{"id":"1","watchlist":[""]}""")]
    [InlineData("""{"id":"1","watchlist":[{"id":"2"}]}""")]
    public void Refuses_a_watchlist_that_is_not_a_list_of_ids(string userData)
    {
        Assert.Null(UserData.Parse(userData, out var refusal));
        Assert.Same(SignInRefusal.InvalidWatchlist, refusal);
    }

    [Fact]
    public void Takes_100_watched_users_and_refuses_101()
    {
        static string WithWatchlist(int n) => $$"""{"id":"1","watchlist":[{{string.Join(',', Enumerable.Range(1, n))}}]}""";

        Assert.Equal(100, UserData.Parse(WithWatchlist(100), out _)!.Watchlist.Length);
        Assert.Null(UserData.Parse(WithWatchlist(101), out var refusal));
        Assert.Same(SignInRefusal.WatchlistTooLong, refusal);
    }
}
