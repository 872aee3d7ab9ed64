using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace SoketiOrleans.Bench;

/// <summary>Signed HTTP API triggers. A publish counts only when answered 200 <c>{"ok":true}</c>.</summary>
public sealed class ApiClient(Target target, Errors errors) : IDisposable
{
    private static readonly byte[] Ok = """{"ok":true}"""u8.ToArray();
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient http = new(new SocketsHttpHandler()) { BaseAddress = target.HttpBase };
    private readonly byte[] secret = Encoding.UTF8.GetBytes(target.Secret);

    public Task<bool> TriggerAsync(byte[] body) => PostAsync("events", body);

    public Task<bool> TriggerBatchAsync(byte[] body) => PostAsync("batch_events", body);

    private async Task<bool> PostAsync(string endpoint, byte[] body)
    {
        var path = $"/apps/{target.AppId}/{endpoint}";
        // Already in key order, as the signature wants them.
        var query = $"auth_key={target.Key}&auth_timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}"
            + $"&auth_version=1.0&body_md5={Convert.ToHexStringLower(MD5.HashData(body))}";
        var signature = ChannelAuth.Hex(secret, $"POST\n{path}\n{query}");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await http.PostAsync($"{path}?{query}&auth_signature={signature}", content);
            var answer = await response.Content.ReadAsByteArrayAsync();
            // soketi answers API errors with status 200 and the code in the body, so the body decides.
            if (response.StatusCode == HttpStatusCode.OK && answer.AsSpan().SequenceEqual(Ok))
                return true;
            errors.Report($"POST {endpoint} answered {(int)response.StatusCode} {Encoding.UTF8.GetString(answer)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            errors.Report($"POST {endpoint} failed: {e.Message}");
        }
        return false;
    }

    public void Dispose() => http.Dispose();
}
