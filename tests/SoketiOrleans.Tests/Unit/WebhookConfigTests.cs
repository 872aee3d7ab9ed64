using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

public sealed class WebhookConfigTests
{
    [Fact]
    public void Webhooks_are_read_in_soketis_shape_from_the_env_var()
    {
        var app = Assert.Single(Load(new()
        {
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = """
                [{"url":"http://127.0.0.1:9/hook","event_types":["channel_occupied","client_event"],
                  "filter":{"channel_name_starts_with":"private-","channel_name_ends_with":"-x"},"headers":{"X-Custom":"1"}}]
                """,
        }).Apps);

        var hook = Assert.Single(app.Webhooks);
        Assert.Equal(new Uri("http://127.0.0.1:9/hook"), hook.Url);
        Assert.Equal(["channel_occupied", "client_event"], hook.EventTypes.Order());
        Assert.Equal(("private-", "-x"), (hook.ChannelNameStartsWith, hook.ChannelNameEndsWith));
        Assert.Equal("1", hook.Headers["X-Custom"]);
    }

    [Fact]
    public void Batching_and_this_servers_delivery_schedule_have_defaults_and_env_vars()
    {
        var defaults = Load([]).Webhooks;
        Assert.Equal((false, 50, 5000, 1000, 60000, 300000),
            (defaults.BatchingEnabled, defaults.BatchingDuration.TotalMilliseconds, defaults.Timeout.TotalMilliseconds,
             defaults.RetryInitialDelay.TotalMilliseconds, defaults.RetryMaxDelay.TotalMilliseconds, defaults.GiveUpAfter.TotalMilliseconds));

        var set = Load(new()
        {
            ["SOKETI_WEBHOOKS_BATCHING"] = "true",
            ["SOKETI_WEBHOOKS_BATCHING_DURATION"] = "200",
            ["SOKETI_WEBHOOKS_TIMEOUT"] = "300",
            ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = "10",
            ["SOKETI_WEBHOOKS_RETRY_MAX_DELAY"] = "40",
            ["SOKETI_WEBHOOKS_RETRY_GIVE_UP_AFTER"] = "1000",
        }).Webhooks;
        Assert.Equal((true, 200, 300, 10, 40, 1000),
            (set.BatchingEnabled, set.BatchingDuration.TotalMilliseconds, set.Timeout.TotalMilliseconds,
             set.RetryInitialDelay.TotalMilliseconds, set.RetryMaxDelay.TotalMilliseconds, set.GiveUpAfter.TotalMilliseconds));
        Assert.Equal([10.0, 20, 40, 40], Enumerable.Range(1, 4).Select(r => set.RetryDelay(r).TotalMilliseconds));
    }

    [Theory]
    [InlineData("""[{"lambda_function":"fn","event_types":["channel_occupied"]}]""",
        "appManager.array.apps.0.webhooks.0.lambda_function: AWS Lambda webhook targets are not supported by this server; give the webhook a url instead")]
    [InlineData("""[{"url":"ftp://x","event_types":["channel_occupied"]}]""",
        "appManager.array.apps.0.webhooks.0.url (in SOKETI_DEFAULT_APP_WEBHOOKS) must be an absolute http:// or https:// URL; got \"ftp://x\"")]
    [InlineData("""[{"url":"http://x","event_types":["channel_opened"]}]""",
        "appManager.array.apps.0.webhooks.0.event_types (in SOKETI_DEFAULT_APP_WEBHOOKS) must be a non-empty array of event types from: channel_occupied, channel_vacated, member_added, member_removed, client_event, cache_miss, subscription_count; got [\"channel_opened\"]")]
    [InlineData("""{"url":"http://x"}""",
        "appManager.array.apps.0.webhooks (SOKETI_DEFAULT_APP_WEBHOOKS) must be an array of webhooks ({ url, event_types, filter, headers }); got {\"url\":\"http://x\"}")]
    public void Invalid_webhooks_stop_start_up_naming_the_key(string webhooks, string problem) =>
        Assert.Contains(problem, Assert.Throws<ConfigurationException>(() => Load(new() { ["SOKETI_DEFAULT_APP_WEBHOOKS"] = webhooks })).Problems);

    private static SoketiOptions Load(Dictionary<string, string> env) => ConfigLoader.Load([], env);
}
