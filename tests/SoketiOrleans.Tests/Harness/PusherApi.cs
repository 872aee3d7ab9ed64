using System.Text;
using System.Text.Json;

namespace SoketiOrleans.Tests.Harness;

/// <summary>Signed HTTP API calls against one server, as a Pusher server SDK makes them.</summary>
public sealed class PusherApi(Uri server, PusherSigner? signer = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) };

    public PusherSigner Signer { get; } = signer ?? new PusherSigner();

    public async Task<(int Status, string Body)> Post(string path, string body)
    {
        var fullPath = $"/apps/{Signer.AppId}{path}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await _http.PostAsync($"{fullPath}?{Signer.SignedQuery("POST", fullPath, body)}", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<(int Status, string Body)> Trigger(string channel, string name, string data, string? socketId = null) =>
        Post("/events", JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = name,
            ["data"] = data,
            ["channels"] = new[] { channel },
            ["socket_id"] = socketId,
        }.Where(p => p.Value is not null).ToDictionary()));

    public async Task<(int Status, string Body)> Get(string path, IReadOnlyDictionary<string, string>? query = null)
    {
        var fullPath = $"/apps/{Signer.AppId}{path}";
        var response = await _http.GetAsync($"{fullPath}?{Signer.SignedQuery("GET", fullPath, null, query)}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> Send(HttpRequestMessage request)
    {
        var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
