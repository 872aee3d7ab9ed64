using System.Security.Cryptography.X509Certificates;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A certificate renewed on disk reaches new connections without a restart; open ones keep working.</summary>
public sealed class TlsReloadTests : IAsyncLifetime
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("soketi-orleans-tls-reload-");
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create();
    private readonly X509Certificate2 _first;
    private readonly X509Certificate2 _renewed;
    private ServerProcess _server = null!;

    public TlsReloadTests()
    {
        _first = TestCertificateAuthority.IssueServer(_authority.Root, "127.0.0.1");
        _renewed = TestCertificateAuthority.IssueServer(_authority.Root, "127.0.0.1 renewed");
    }

    private string CertPath => Path.Combine(_files.FullName, "server.crt");

    private string KeyPath => Path.Combine(_files.FullName, "server.key");

    public async Task InitializeAsync()
    {
        PemFiles.WriteCertificates(CertPath, _first);
        PemFiles.WriteKey(KeyPath, _first);
        _server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_SSL_CERT"] = CertPath, ["SOKETI_SSL_KEY"] = KeyPath });
    }

    [Fact]
    public async Task Replaced_certificate_files_are_presented_to_new_connections_and_open_connections_stay()
    {
        var (before, firstPresented) = await Connect();
        await using var _ = before;
        Assert.Equal(_first.Thumbprint, firstPresented);

        // As certbot and Kubernetes do: new files renamed over the old ones.
        Replace(CertPath, p => PemFiles.WriteCertificates(p, _renewed));
        Replace(KeyPath, p => PemFiles.WriteKey(p, _renewed));

        await using var after = await ConnectUntilPresented(_renewed, TimeSpan.FromSeconds(10));
        await after.ExpectPong();
        await before.ExpectPong();
        Assert.Contains("TLS: the certificate files changed; new connections get CN=127.0.0.1 renewed", _server.Output);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _first.Dispose();
        _renewed.Dispose();
        _authority.Dispose();
        _files.Delete(recursive: true);
    }

    /// <summary>A wss connection (connection_established read) and the thumbprint of the certificate it was shown.</summary>
    private async Task<(RawPusherClient Client, string? Presented)> Connect()
    {
        X509Certificate2? presented = null;
        var client = await RawPusherClient.Connect(_server.WebSocketUri(),
            configure: o => o.RemoteCertificateValidationCallback = _authority.Validator(c => presented = c));
        return (client, presented?.Thumbprint);
    }

    /// <summary>New connections, each closed unless it was shown <paramref name="certificate"/>, until one is.</summary>
    private async Task<RawPusherClient> ConnectUntilPresented(X509Certificate2 certificate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var (client, presented) = await Connect();
            if (presented == certificate.Thumbprint)
            {
                return client;
            }

            await client.DisposeAsync();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No new connection was shown {certificate.Subject} within {timeout}:\n{_server.Output}");
            }

            await Task.Delay(100);
        }
    }

    private static void Replace(string path, Action<string> write)
    {
        var next = path + ".next";
        write(next);
        File.Move(next, path, overwrite: true);
    }
}
