using SoketiOrleans.Gateway.Channels;

namespace SoketiOrleans.Tests.Unit;

/// <summary>A socket's subscriptions: one held in place, a dictionary from the second on.</summary>
public sealed class SocketChannelsTests
{
    // The collection never looks at the channel.
    private static readonly SocketSubscription A = new(null!, PresenceUserId: null);
    private static readonly SocketSubscription B = new(null!, PresenceUserId: "user-b");
    private static readonly SocketSubscription C = new(null!, PresenceUserId: "user-c");

    [Fact]
    public void One_channel_is_found_by_its_exact_name_and_removed()
    {
        var channels = new SocketChannels();
        Assert.Equal(0, channels.Count);
        Assert.Empty(channels.Names());

        channels.Add("private-a", A);

        Assert.Equal(1, channels.Count);
        Assert.Same(A, channels["private-a"]);
        Assert.False(channels.ContainsKey("Private-a"));
        Assert.False(channels.ContainsKey("private-b"));
        Assert.Equal(["private-a"], channels.Names());
        Assert.False(channels.Remove("private-b"));
        Assert.True(channels.Remove("private-a", out var removed));
        Assert.Same(A, removed);
        Assert.Equal(0, channels.Count);
        Assert.False(channels.ContainsKey("private-a"));
        Assert.Throws<KeyNotFoundException>(() => channels["private-a"]);
    }

    [Fact]
    public void A_second_channel_keeps_the_first_and_both_can_be_removed_in_any_order()
    {
        var channels = new SocketChannels();
        channels.Add("a", A);
        channels.Add("b", B);
        channels.Add("c", C);

        Assert.Equal(3, channels.Count);
        Assert.Same(A, channels["a"]);
        Assert.Same(B, channels["b"]);
        Assert.Same(C, channels["c"]);
        Assert.Equal(["a", "b", "c"], channels.Names().Order());
        Assert.Throws<ArgumentException>(() => channels.Add("b", B));

        Assert.True(channels.Remove("a"));
        Assert.True(channels.Remove("c", out var removed));
        Assert.Same(C, removed);
        Assert.Equal(["b"], channels.Names());
        Assert.True(channels.Remove("b"));
        Assert.Equal(0, channels.Count);
        channels.Add("a", A);
        Assert.Same(A, channels["a"]);
    }

    [Fact]
    public void Adding_the_one_channel_again_is_refused_as_a_dictionary_refuses_it()
    {
        var channels = new SocketChannels();
        channels.Add("a", A);

        Assert.Throws<ArgumentException>(() => channels.Add("a", B));
    }
}
