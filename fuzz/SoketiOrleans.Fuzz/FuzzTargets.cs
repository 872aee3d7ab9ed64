using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Fuzz;

/// <summary>
/// This server's own parsers of what clients and operators hand it, each as a function of arbitrary
/// bytes. A target throws only when a rule below breaks: the fuzzer reports that input as a crash,
/// and the test suite replays the corpus (fuzz/corpus) through the same functions.
/// </summary>
public static class FuzzTargets
{
    // Lazy, like everything here that runs this server's code: instrumented code must not run before
    // the fuzzer has set up its coverage map.
    private static readonly Lazy<App> TheApp = new(() => new App { Id = "app-id", Key = "app-key", Secret = "app-secret" });
    private static readonly Lazy<byte[]> UpgradeStart = new(() => UpgradeRequest.Start(""));
    private static readonly Lazy<string> ScratchFile = new(Path.GetTempFileName);

    /// <summary>The server's clock for <see cref="Signature"/>: 2023-11-14 22:13:20 UTC.</summary>
    public static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["handshake"] = Handshake,
        ["frames"] = Frames,
        ["message"] = Message,
        ["trigger"] = Trigger,
        ["signature"] = Signature,
        ["config"] = Config,
        ["dotenv"] = DotEnv,
    };

    /// <summary>
    /// A connection's first bytes, read for a WebSocket upgrade: any outcome but an exception, and the
    /// same outcome and request whether the bytes arrive in one piece or in two.
    /// </summary>
    public static void Handshake(byte[] input)
    {
        var whole = UpgradeRequest.TryRead(new ReadOnlySequence<byte>(input), UpgradeStart.Value, out var request, out var end);
        var cut = input.Length == 0 ? 0 : input[0] % input.Length;
        var split = SplitSequence.At(input, cut);
        var pieces = UpgradeRequest.TryRead(split, UpgradeStart.Value, out var fromPieces, out var piecesEnd);
        if (pieces != whole || fromPieces != request)
        {
            throw new FuzzFailure($"In one piece: {whole} {request}; cut at {cut}: {pieces} {fromPieces}");
        }

        if (whole == UpgradeRequest.Outcome.Upgrade
            && (new ReadOnlySequence<byte>(input).Slice(0, end).Length != split.Slice(0, piecesEnd).Length || request!.AppKey.Length == 0))
        {
            throw new FuzzFailure($"An upgrade that ends in different places, or has no app key: {request}");
        }
    }

    /// <summary>
    /// A client's bytes after the upgrade, read as WebSocket frames until a close, a failure or their
    /// end: the same messages, close and answers whether the bytes arrive in one piece or in two;
    /// no exception but the WebSocket's own; and what the server writes back is whole frames, pongs
    /// and a close.
    /// </summary>
    public static void Frames(byte[] input)
    {
        var cut = input.Length == 0 ? 0 : input[0] % input.Length;
        var whole = ClientFrames.Read([input]);
        var pieces = ClientFrames.Read([input[..cut], input[cut..]]);
        if (whole != pieces)
        {
            throw new FuzzFailure($"In one piece:\n{whole}\ncut at {cut}:\n{pieces}");
        }
    }

    /// <summary>A client's message, read as the socket's session reads it: parsed, then every field a handler looks at.</summary>
    public static void Message(byte[] input)
    {
        using var message = ClientMessage.Parse(input, out var error);
        if (message is null)
        {
            HasReason(error, "A message");
            return;
        }

        message.TryGetDataObject(out _);
        var channel = message.DataString("channel") ?? message.Channel ?? "";
        ServerToUserChannel.UserIdOf(channel);
        ChannelName.HasValidCharacters(channel);
        ChannelName.TypeOf(channel);
        CacheChannels.IsCache(channel);
        RefusalCarries(channel, PusherFrame.SubscriptionError(channel, "AuthError", "The connection is unauthorized.", 401));
        RefusalCarries(channel, PusherFrame.Error(4301, "Client event rejected", channel));
        var channelData = message.DataString("channel_data");
        if (channelData is not null && PresenceMember.Parse(channelData, out var memberError) is null)
        {
            HasReason(memberError, "channel_data");
        }

        if (message.DataString("user_data") is { } userData && UserData.Parse(userData, out var refusal) is null)
        {
            HasReason(refusal?.Message, "user_data");
        }

        ChannelAuthorization.IsValid(TheApp.Value, "1.1", channel, channelData, message.DataString("auth"));
    }

    private static void HasReason(string? reason, string what)
    {
        if (string.IsNullOrEmpty(reason))
        {
            throw new FuzzFailure($"{what} refused without a reason");
        }
    }

    /// <summary>A refusal the server builds around a name the client chose is JSON that gives the name back as sent.</summary>
    private static void RefusalCarries(string channel, byte[] frame)
    {
        using var parsed = JsonDocument.Parse(frame);
        var echoed = parsed.RootElement.GetProperty("channel").GetString();
        // A lone surrogate (a JSON escape can make one) has no UTF-8 form: it comes back as U+FFFD.
        if (echoed != channel && echoed != ReplaceLoneSurrogates(channel))
        {
            throw new FuzzFailure($"The frame gives the channel back as {echoed}");
        }
    }

    private static string ReplaceLoneSurrogates(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>A body of <c>POST /apps/{id}/events</c>: refused as not UTF-8 JSON, read, or refused with a 4xx and a message.</summary>
    public static void Trigger(byte[] input)
    {
        using var document = EventsEndpoints.ReadBody(input, out var bodyProblem);
        if (document is null)
        {
            HasReason(bodyProblem, "A body");
            return;
        }

        if (TriggerEvent.Read(document.RootElement, TheApp.Value, out var problem) is null
            && (problem is null || problem.Status is < 400 or > 499 || problem.Message.Length == 0))
        {
            throw new FuzzFailure($"Refused without a 4xx and a message: {problem}");
        }
    }

    /// <summary>
    /// An HTTP API request's signature check: the input is <c>METHOD\nTARGET\nBODY</c> (the target as
    /// sent, path and query). Accepted or refused with a reason; never an exception. The server's
    /// clock stands at <see cref="SignedAt"/>, which the seeds sign with.
    /// </summary>
    public static void Signature(byte[] input)
    {
        if (SignatureProblem(input) is { Length: 0 })
        {
            throw new FuzzFailure("Refused without a reason");
        }
    }

    /// <returns>Why the request's signature is refused (or the input is not a request); null when it is accepted.</returns>
    public static string? SignatureProblem(byte[] input)
    {
        var first = Array.IndexOf(input, (byte)'\n');
        var second = first < 0 ? -1 : Array.IndexOf(input, (byte)'\n', first + 1);
        if (second < 0)
        {
            return "Not METHOD\\nTARGET\\nBODY.";
        }

        // Kestrel hands a request line over as Latin-1 (what is not ASCII is refused before).
        var method = Encoding.Latin1.GetString(input, 0, first);
        var target = Encoding.Latin1.GetString(input, first + 1, second - first - 1);
        if (!target.StartsWith('/'))
        {
            return "Kestrel answers 400 to a target that is not a path.";
        }

        var query = target.IndexOf('?');
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(target[query..]);
        // The signature is over the raw path; decoding the path is Kestrel's (it refuses an encoded NUL with 400).
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        return RequestSignature.Check(context, TheApp.Value, input.AsSpan(second + 1), SignedAt);
    }

    /// <summary>A <c>--config</c> file: it loads, or start-up stops with a configuration problem.</summary>
    public static void Config(byte[] input)
    {
        File.WriteAllBytes(ScratchFile.Value, input);
        LoadsOrStops(() => ConfigLoader.Load([$"--config={ScratchFile.Value}"], new Dictionary<string, string>()));
    }

    /// <summary>A <c>.env</c> file: it loads, or start-up stops with a configuration problem.</summary>
    public static void DotEnv(byte[] input)
    {
        File.WriteAllBytes(ScratchFile.Value, input);
        LoadsOrStops(() => ConfigLoader.Load([], DotEnvFile.Merge(new Dictionary<string, string>(), ScratchFile.Value)));
    }

    private static void LoadsOrStops(Action load)
    {
        try
        {
            load();
        }
        catch (ConfigurationException e) when (e.Problems.Count > 0 && e.Problems.All(p => p.Length > 0))
        {
            // Start-up stops with a message naming the problem.
        }
    }
}

/// <summary>A rule of a target broke for an input.</summary>
public sealed class FuzzFailure(string message) : Exception(message);
