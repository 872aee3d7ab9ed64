using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// soketi's <c>SOKETI_SSL_*</c>: the one port serves wss:// and https://. The server's certificate is
/// signed by an intermediate that only <c>SOKETI_SSL_CA</c> holds, and its key is encrypted, so every
/// client here, trusting nothing but the test root, proves the whole set-up.
/// </summary>
public sealed class TlsTests(TlsTests.Fixture fixture) : IClassFixture<TlsTests.Fixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_wss_client_trusting_only_the_test_root_gets_connection_established_from_the_configured_certificate()
    {
        X509Certificate2? presented = null;

        await using var client = await RawPusherClient.Connect(Server.WebSocketUri(),
            configure: o => o.RemoteCertificateValidationCallback = fixture.Authority.Validator(c => presented = c));

        Assert.StartsWith($"wss://127.0.0.1:{Server.Port}/app/app-key?", Server.WebSocketUri().ToString());
        Assert.Equal(fixture.Certificate.Thumbprint, presented?.Thumbprint);
        await client.ExpectPong();
    }

    [Fact]
    public async Task The_handshake_sends_the_certificate_and_the_intermediate_of_SOKETI_SSL_CA_but_not_the_root_and_picks_http_1_1()
    {
        string[] sent = [];
        var validate = fixture.Authority.Validator();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Server.Port);
        await using var tls = new SslStream(tcp.GetStream());

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            // As browsers offer them: the server picks HTTP/1.1, as soketi serves.
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                sent = chain!.ChainPolicy.ExtraStore.Select(c => c.Thumbprint).ToArray();
                return validate(sender, certificate, chain, errors);
            },
        });

        Assert.Equal([fixture.Certificate.Thumbprint, fixture.Intermediate.Thumbprint], sent);
        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);
    }

    [Fact]
    public async Task A_signed_https_api_call_answers_200_and_the_event_reaches_a_wss_subscriber()
    {
        var channel = Names.Unique("tls-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri(),
            configure: o => o.RemoteCertificateValidationCallback = fixture.Authority.Validator());
        await client.SubscribePublic(channel);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = fixture.Authority.Validator();
        using var api = new PusherApi(Server.HttpUri, handler: handler);

        ApiAssert.IsOk(await api.Trigger(channel, "greeting", "over tls"));

        Assert.StartsWith("https://", Server.HttpUri.ToString());
        Assert.Equal($$"""{"event":"greeting","channel":"{{channel}}","data":"over tls"}""", await client.Next());
    }

    [Fact]
    public async Task Plain_http_to_the_tls_port_gets_no_http_answer()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{Server.Port}/ready"));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
    }

    [Fact]
    public async Task A_wrong_passphrase_stops_start_up_with_exit_code_2_naming_SOKETI_SSL_PASS()
    {
        await using var server = ServerProcess.Launch(new Dictionary<string, string>(fixture.Variables) { ["SOKETI_SSL_PASS"] = "wrong" });

        Assert.Equal(2, await server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains($"  - ssl.passphrase (SOKETI_SSL_PASS) does not decrypt the private key in \"{fixture.Variables["SOKETI_SSL_KEY"]}\"", server.Output);
    }

    public sealed class Fixture : ServerFixture
    {
        private const string Passphrase = "tls test passphrase";

        private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("soketi-orleans-tls-");

        public TestCertificateAuthority Authority { get; } = TestCertificateAuthority.Create();

        public X509Certificate2 Intermediate { get; private set; } = null!;

        public X509Certificate2 Certificate { get; private set; } = null!;

        public IReadOnlyDictionary<string, string> Variables { get; private set; } = new Dictionary<string, string>();

        protected override IReadOnlyDictionary<string, string> Environment => Variables;

        public override Task InitializeAsync()
        {
            Intermediate = TestCertificateAuthority.IssueIntermediate(Authority.Root, "soketi-orleans test intermediate");
            Certificate = TestCertificateAuthority.IssueServer(Intermediate, "127.0.0.1");
            Variables = new Dictionary<string, string>
            {
                ["SOKETI_SSL_CERT"] = PemFiles.WriteCertificates(Path.Combine(_files.FullName, "server.crt"), Certificate),
                ["SOKETI_SSL_KEY"] = PemFiles.WriteKey(Path.Combine(_files.FullName, "server.key"), Certificate, Passphrase),
                ["SOKETI_SSL_PASS"] = Passphrase,
                ["SOKETI_SSL_CA"] = PemFiles.WriteCertificates(Path.Combine(_files.FullName, "chain.crt"), Intermediate),
            };
            return base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Certificate?.Dispose();
            Intermediate?.Dispose();
            Authority.Dispose();
            _files.Delete(recursive: true);
        }
    }
}
