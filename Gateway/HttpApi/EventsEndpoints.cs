using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// <c>POST /apps/{id}/events</c> and <c>/batch_events</c>. Every event is checked before any is
/// sent; each frame is serialized once per channel and the response waits until every gateway has
/// the frames (see <see cref="ChannelPublisher.PublishAcknowledged"/>), so one publisher's successive
/// requests keep their order and a 200 is never lost with a silo. Without <c>info</c>
/// the answer is soketi's <c>{"ok":true}</c> and nothing more is read.
/// </summary>
internal sealed partial class EventsEndpoints(
    GatewayApps apps, GatewayOptions options, ChannelPublisher publisher, RateLimits rateLimits, ICluster cluster, ILogger<EventsEndpoints> logger)
{
    public async Task Trigger(HttpContext context, string appId)
    {
        if (await ApiRequest.Authenticate(context, apps, options, appId) is not { } request
            || await ParseBody(context, request) is not { } document)
        {
            return;
        }

        using (document)
        {
            if (TriggerEvent.Read(document.RootElement, request.App, out var problem) is not { } trigger)
            {
                await ApiResponses.Error(context, problem!.Status, problem.Message);
                return;
            }

            await Publish(context, request.App, [trigger], batch: false);
        }
    }

    public async Task TriggerBatch(HttpContext context, string appId)
    {
        if (await ApiRequest.Authenticate(context, apps, options, appId) is not { } request
            || await ParseBody(context, request) is not { } document)
        {
            return;
        }

        using (document)
        {
            var app = request.App;
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("batch"u8, out var batch)
                || batch.ValueKind != JsonValueKind.Array)
            {
                await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "The body needs a batch array.");
                return;
            }

            if (batch.GetArrayLength() > app.MaxEventBatchSize)
            {
                await ApiResponses.Error(context, StatusCodes.Status400BadRequest, $"Cannot batch-send more than {app.MaxEventBatchSize} messages at once");
                return;
            }

            var triggers = new List<TriggerEvent>();
            foreach (var item in batch.EnumerateArray())
            {
                if (TriggerEvent.Read(item, app, out var problem) is not { } trigger)
                {
                    await ApiResponses.Error(context, problem!.Status, problem.Message);
                    return;
                }

                if (trigger.Channels.Count > 1 && TriggerResponse.AttributesOf(trigger).Any)
                {
                    await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "An event of a batch that asks for info must have a single channel.");
                    return;
                }

                triggers.Add(trigger);
            }

            await Publish(context, app, triggers, batch: true);
        }
    }

    private static async Task<JsonDocument?> ParseBody(HttpContext context, ApiRequest request)
    {
        if (ReadBody(request.Body, out var problem) is { } document)
        {
            return document;
        }

        await ApiResponses.Error(context, StatusCodes.Status400BadRequest, problem!);
        return null;
    }

    /// <returns>The body as JSON; null, with what is wrong with it, when it is not UTF-8 JSON.</returns>
    internal static JsonDocument? ReadBody(ReadOnlyMemory<byte> body, out string? problem)
    {
        problem = null;
        try
        {
            return StrictJson.Parse(body);
        }
        catch (JsonException e)
        {
            problem = e is NotUtf8Exception
                ? "The received data is incorrect: the body is not UTF-8."
                : "The received data is incorrect: the body is not valid JSON.";
            return null;
        }
    }

    private async Task Publish(HttpContext context, App app, IReadOnlyList<TriggerEvent> triggers, bool batch)
    {
        // Points as soketi counts them: one per channel of each event.
        if (!await rateLimits.AllowBackendEvents(context, app, triggers.Sum(t => t.Channels.Count)))
        {
            return;
        }

        var sends = new List<Task>();
        foreach (var trigger in triggers)
        {
            foreach (var channel in trigger.Channels)
            {
                sends.Add(publisher.PublishAcknowledged(app.Id, channel, PusherFrame.Event(trigger.Name, channel, trigger.Data), trigger.SocketId));
            }
        }

        await ApiResponses.FromCluster(context, async () =>
        {
            await Task.WhenAll(sends);
            return !TriggerResponse.WantsAttributes(triggers) ? ApiResponses.Ok
                : batch ? await TriggerResponse.ForBatch(cluster, app.Id, triggers)
                : await TriggerResponse.ForEvent(cluster, app.Id, triggers[0]);
        }, e =>
        {
            if (e is ClusterUnavailableException)
            {
                LogPublishUnavailable(logger, e, app.Id);
            }
            else
            {
                LogPublishFailed(logger, e, app.Id);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing events of app {AppId} failed: the cluster did not answer in time; answered 503")]
    private static partial void LogPublishUnavailable(ILogger logger, Exception exception, string appId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing events of app {AppId} failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string appId);
}
