using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// A server whose default app sends every webhook kind to <c>/all</c> of a loopback receiver, and
/// a few channel-prefix webhooks to paths that misbehave. Retries are fast so tests stay short.
/// </summary>
public sealed class WebhookFixture : WebhookServerFixture
{
    public WebhookFixture()
    {
        Receiver.Answer("/flaky", attempt => attempt == 1 ? 500 : 200);
        Receiver.Answer("/refused", _ => 400);
        Receiver.Answer("/down", _ => 500);
    }

    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
        // Long enough that a receiver slowed down by a busy machine still answers in time: these
        // tests count attempts, and a timed-out attempt that did reach the receiver counts twice.
        ["SOKETI_WEBHOOKS_TIMEOUT"] = "2000",
        ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = "100",
        ["SOKETI_WEBHOOKS_RETRY_MAX_DELAY"] = "200",
        ["SOKETI_WEBHOOKS_RETRY_GIVE_UP_AFTER"] = "2000",
        ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$$"""
            [
              {"url":"{{{Receiver.Url("/all")}}}","headers":{"X-Custom":"custom-1"},
               "event_types":["channel_occupied","channel_vacated","member_added","member_removed","client_event","cache_miss","subscription_count"]},
              {"url":"{{{Receiver.Url("/flaky")}}}","event_types":["channel_occupied"],"filter":{"channel_name_starts_with":"flaky-"}},
              {"url":"{{{Receiver.Url("/refused")}}}","event_types":["channel_occupied"],"filter":{"channel_name_starts_with":"refused-"}},
              {"url":"{{{Receiver.Url("/down")}}}","event_types":["channel_occupied"],"filter":{"channel_name_starts_with":"down-"}},
              {"url":"{{{Receiver.Url("/filtered")}}}","event_types":["channel_occupied"],"filter":{"channel_name_starts_with":"private-","channel_name_ends_with":"-f"}}
            ]
            """,
    };
}
