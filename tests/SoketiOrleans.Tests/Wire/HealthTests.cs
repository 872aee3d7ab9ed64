using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class HealthTests(ServerFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.HttpUri };

    [Theory]
    [InlineData("/")]
    [InlineData("/ready")]
    public async Task Probe_answers_200_OK(string path)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal((200, "OK"), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ready")]
    public async Task Probe_answers_HEAD_with_200_and_no_body(string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal((200, ""), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    public void Dispose() => _http.Dispose();
}
