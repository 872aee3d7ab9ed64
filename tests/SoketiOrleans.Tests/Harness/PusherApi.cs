using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoketiOrleans.Tests.Harness;

/// <summary>Signed HTTP API calls against one server, as a Pusher server SDK makes them.</summary>
/// <param name="pathPrefix">The server's <c>pathPrefix</c> (e.g. <c>/ws</c>): called and signed as part of the path.</param>
/// <param name="handler">How to connect, e.g. which TLS certificate to trust; the default handler when null.</param>
public sealed class PusherApi(Uri server, PusherSigner? signer = null, string pathPrefix = "", HttpMessageHandler? handler = null) : IDisposable
{
    /// <summary>Escapes only what JSON requires, as <c>JSON.stringify</c> in pusher-http-node does.</summary>
    private static readonly JsonSerializerOptions SdkJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler()) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) };

    public PusherSigner Signer { get; } = signer ?? new PusherSigner();

    public Task<(int Status, string Body)> Post(string path, string body) => Post(path, Encoding.UTF8.GetBytes(body));

    /// <summary>A signed POST of any bytes as a JSON body (<c>body_md5</c> is theirs).</summary>
    public async Task<(int Status, string Body)> Post(string path, byte[] body)
    {
        var fullPath = FullPath(path);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var response = await _http.PostAsync($"{fullPath}?{Signer.SignedQueryOfBytes("POST", fullPath, body)}", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <param name="data">The event's data string (usually JSON text), sent as a JSON string.</param>
    public Task<(int Status, string Body)> Trigger(string channel, string name, string data, string? socketId = null) =>
        Post("/events", EventBody(channel, name, data, socketId));

    /// <summary>The body of <c>POST /events</c> for one channel, as the SDK's trigger writes it.</summary>
    public static string EventBody(string channel, string name, string data, string? socketId = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = name,
            ["data"] = data,
            ["channels"] = new[] { channel },
            ["socket_id"] = socketId,
        }.Where(p => p.Value is not null).ToDictionary(), SdkJson);

    /// <summary>The pusher SDK's terminateUserConnections.</summary>
    public Task<(int Status, string Body)> TerminateUserConnections(string userId) =>
        Post($"/users/{userId}/terminate_connections", "{}");

    public async Task<(int Status, string Body)> Get(string path, IReadOnlyDictionary<string, string>? query = null)
    {
        var fullPath = FullPath(path);
        var response = await _http.GetAsync($"{fullPath}?{Signer.SignedQuery("GET", fullPath, null, query)}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A request with a query string of the caller's making (to test how signatures are checked).</summary>
    public async Task<(int Status, string Body)> Raw(HttpMethod method, string pathAndQuery, string? body = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await Send(request);
    }

    /// <summary>A signed request whose whole response, headers included, the caller reads (and disposes).</summary>
    public async Task<HttpResponseMessage> SendSigned(HttpMethod method, string path, string? body = null)
    {
        var fullPath = FullPath(path);
        using var request = new HttpRequestMessage(method, $"{fullPath}?{Signer.SignedQuery(method.Method, fullPath, body)}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    public async Task<(int Status, string Body)> Send(HttpRequestMessage request)
    {
        var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private string FullPath(string path) => $"{pathPrefix}/apps/{Signer.AppId}{path}";

    public void Dispose() => _http.Dispose();
}
