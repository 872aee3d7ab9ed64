using System.Text;
using System.Text.Json;
using CsCheck;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// Property-based fuzzing of the HTTP side against the real server: any method on paths around
/// the API's routes (odd app ids and channel names, percent-encoded anything), queries signed
/// right or wrong in one way (no or wrong signature, unknown key, stale or non-numeric timestamp,
/// missing or wrong <c>body_md5</c>, extra parameters), and any body (trigger and batch bodies
/// with each field plausible, missing or mistyped; arbitrary JSON; text; bodies around the size
/// limits) with any content type. For every request: an answer within a bound, never a 5xx, and
/// every error a JSON object with an <c>error</c> string. Afterwards the server publishes to a
/// clean client and has logged no failure. Run length and seed: <see cref="FuzzSeed"/>.
/// </summary>
[Collection(nameof(Alone))]
public sealed class HttpApiFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(15);

    /// <summary>The probes answer plain <c>OK</c>, as soketi's do.</summary>
    private static readonly string[] PlainTextPaths = ["/", "/ready"];

    [Fact]
    public async Task Generated_requests_get_json_answers_and_never_hurt_the_server()
    {
        await using var server = await ServerProcess.Start();
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = RequestBound };
        var signer = new PusherSigner();

        await FuzzRequests.Request.SampleAsync(request => Run(http, signer, request), writeLine: output.WriteLine, seed: FuzzSeed.Value, iter: FuzzSeed.Iterations, threads: 2,
            print: request => request.ToString());

        await AfterFuzzing.AssertUnhurt(server);
    }

    private static async Task Run(HttpClient http, PusherSigner signer, FuzzRequest request)
    {
        var query = FuzzRequests.Query(request, signer);
        // Absolute, so that a path starting with "//" stays a path and is not read as a host.
        var origin = http.BaseAddress!.GetLeftPart(UriPartial.Authority);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(query.Length == 0 ? origin + request.Path : $"{origin}{request.Path}?{query}"));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        using var response = await http.SendAsync(message);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{status} {body}");
        if (request.Method is "HEAD" || status is 204 || (status < 300 && PlainTextPaths.Contains(request.Path)))
        {
            return;
        }

        using var json = ParseJson(status, body);
        if (status >= 400)
        {
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
            Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("error").ValueKind);
        }
    }

    private static JsonDocument ParseJson(int status, string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"{status} answered with a body that is not JSON: '{body}'");
        }
    }
}
