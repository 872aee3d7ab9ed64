using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// One signed POST of a webhook body, classified the way Pusher retries: 2xx is delivered; 429, 5xx,
/// connection errors and timeouts may succeed later; any other answer will not.
/// </summary>
public sealed class WebhookClient(WebhookOptions options) : IDisposable
{
    /// <summary>
    /// How long an idle connection to a receiver is kept for the next POST. A receiver closes an
    /// idle connection when its own keep-alive limit is reached, and a POST sent on it at that moment
    /// is read, then cut off unanswered, and so delivered twice (HttpClient's resend, or the retry
    /// here). .NET's pool drops idle connections once a second, so one may be reused for up to about
    /// 3 s: below the 5 s of Node's and Apache's servers (.NET's HttpListener: 15 s).
    /// </summary>
    public static readonly TimeSpan IdleConnectionLimit = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        // A redirected POST would turn into a GET: a redirect is an answer, not a delivery.
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        PooledConnectionIdleTimeout = IdleConnectionLimit,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<WebhookAttempt> Post(WebhookDestination destination, byte[] body, CancellationToken cancellationToken)
    {
        using var request = Request(destination, body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var outcome = status is >= 200 and < 300 ? WebhookOutcome.Delivered
                : response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500 ? WebhookOutcome.Retry
                : WebhookOutcome.Refused;
            return new WebhookAttempt(outcome, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(WebhookOutcome.Retry, $"no answer within {options.Timeout.TotalMilliseconds} ms");
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(WebhookOutcome.Retry, e.HttpRequestError.ToString());
        }
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage Request(WebhookDestination destination, byte[] body)
    {
        var app = destination.App;
        var request = new HttpRequestMessage(HttpMethod.Post, destination.Target.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("SoketiOrleans-Webhooks", "1.0"));
        foreach (var (name, value) in destination.Target.Headers)
        {
            // Content headers (a custom Content-Type, say) live on the content, not the request.
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // Set last, as soketi does, so configured headers cannot replace them.
        request.Headers.Remove("X-Pusher-Key");
        request.Headers.Remove("X-Pusher-Signature");
        request.Headers.TryAddWithoutValidation("X-Pusher-Key", app.Key);
        request.Headers.TryAddWithoutValidation("X-Pusher-Signature", HmacSignature.Sign(app.Secret, Encoding.UTF8.GetString(body)));
        return request;
    }
}

public enum WebhookOutcome
{
    Delivered,
    Retry,
    Refused,
}

/// <param name="Status">What the receiver answered, for logs: <c>HTTP 503</c>, a timeout, a connection error.</param>
public readonly record struct WebhookAttempt(WebhookOutcome Outcome, string Status);
