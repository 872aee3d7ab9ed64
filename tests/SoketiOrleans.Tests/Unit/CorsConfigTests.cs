using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

/// <summary>soketi's <c>cors.*</c> keys, read from the config file with soketi's defaults.</summary>
public sealed class CorsConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("soketi-cors-config-").FullName;

    [Fact]
    public void Defaults_are_soketis()
    {
        var cors = ConfigLoader.Load([], new Dictionary<string, string>()).Gateway.Cors;

        Assert.True(cors.Credentials);
        Assert.Equal(["*"], cors.Origins);
        Assert.Equal(["GET", "POST", "PUT", "DELETE", "OPTIONS"], cors.Methods);
        Assert.Equal(["Origin", "Content-Type", "X-Auth-Token", "X-Requested-With", "Accept", "Authorization", "X-CSRF-TOKEN", "XSRF-TOKEN", "X-Socket-Id"], cors.AllowedHeaders);
    }

    [Fact]
    public void The_config_file_sets_them_and_the_keys_it_leaves_out_keep_their_defaults()
    {
        var cors = Load("""{ "cors": { "credentials": false, "origin": ["https://a.example", "https://*.b.example"] }, "cors.methods": ["GET", "POST"] }""");

        Assert.False(cors.Credentials);
        Assert.Equal(["https://a.example", "https://*.b.example"], cors.Origins);
        Assert.Equal(["GET", "POST"], cors.Methods);
        Assert.Equal(CorsOptions.Defaults.AllowedHeaders, cors.AllowedHeaders);
    }

    [Theory]
    [InlineData("""{"cors.credentials": "maybe"}""", "cors.credentials must be true or false (or 1/0); got \"maybe\"")]
    [InlineData("""{"cors.origin": "https://a.example"}""", "cors.origin must be a list of non-empty strings of printable characters; got \"https://a.example\"")]
    [InlineData("""{"cors.origin": ["https://a.example", 1]}""", "cors.origin must be a list of non-empty strings of printable characters; got [\"https://a.example\",1]")]
    [InlineData("""{"cors.methods": ["GET", ""]}""", "cors.methods must be a list of non-empty strings of printable characters; got [\"GET\",\"\"]")]
    [InlineData("""{"cors.allowedHeaders": {"Origin": true}}""", "cors.allowedHeaders must be a list of non-empty strings of printable characters; got {\"Origin\":true}")]
    [InlineData("""{"cors.allowedHeaders": ["X-A\nX-B"]}""", "cors.allowedHeaders must be a list of non-empty strings of printable characters; got [\"X-A\\nX-B\"]")]
    public void A_wrong_type_stops_start_up_naming_the_key(string json, string problem)
    {
        var file = Write(json);

        Assert.Equal([problem], Assert.Throws<ConfigurationException>(() => ConfigLoader.Load([$"--config={file}"], new Dictionary<string, string>())).Problems);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CorsOptions Load(string json) => ConfigLoader.Load([$"--config={Write(json)}"], new Dictionary<string, string>()).Gateway.Cors;

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
