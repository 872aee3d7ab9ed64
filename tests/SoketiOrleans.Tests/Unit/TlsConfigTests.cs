using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SoketiOrleans.Silo.Configuration;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// soketi's <c>ssl.*</c> options: TLS is on when a certificate or key is given, and every way the
/// files can be unusable stops start-up with one line naming the option and the reason.
/// </summary>
public sealed class TlsConfigTests : IDisposable
{
    private const string Passphrase = "correct horse";

    private readonly string _dir = Directory.CreateTempSubdirectory("soketi-tls-config-").FullName;
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create();
    private readonly X509Certificate2 _server;
    private readonly string _cert;
    private readonly string _key;

    public TlsConfigTests()
    {
        _server = TestCertificateAuthority.IssueServer(_ca.Root, "127.0.0.1");
        _cert = PemFiles.WriteCertificates(PathOf("server.crt"), _server);
        _key = PemFiles.WriteKey(PathOf("server.key"), _server);
    }

    [Fact]
    public void Tls_is_off_by_default()
    {
        Assert.Null(Load([]).Tls);
    }

    [Fact]
    public void A_certificate_and_its_key_turn_tls_on()
    {
        var ca = PemFiles.WriteCertificates(PathOf("ca.crt"), _ca.Root);

        var tls = Load(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = _key, ["SOKETI_SSL_CA"] = ca }).Tls;

        Assert.Equal(new TlsOptions(_cert, _key, "", ca), tls);
    }

    [Fact]
    public void The_config_file_keys_are_soketis()
    {
        var config = PathOf("config.json");
        File.WriteAllText(config, $$$"""{"ssl": {"certPath": "{{{_cert}}}", "keyPath": "{{{_key}}}"}}""");

        Assert.Equal(new TlsOptions(_cert, _key, "", ""), ConfigLoader.Load([$"--config={config}"], new Dictionary<string, string>()).Tls);
    }

    [Fact]
    public void An_encrypted_key_is_read_with_the_passphrase()
    {
        var encrypted = PemFiles.WriteKey(PathOf("encrypted.key"), _server, Passphrase);

        Assert.NotNull(Load(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = encrypted, ["SOKETI_SSL_PASS"] = Passphrase }).Tls);
    }

    [Fact]
    public void A_pkcs1_rsa_key_is_read()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var cert = PemFiles.WriteCertificates(PathOf("rsa.crt"), certificate);
        var key = PathOf("rsa.key");
        File.WriteAllText(key, rsa.ExportRSAPrivateKeyPem());

        Assert.NotNull(Load(new() { ["SOKETI_SSL_CERT"] = cert, ["SOKETI_SSL_KEY"] = key }).Tls);
    }

    [Fact]
    public void A_certificate_without_a_key_stops_start_up() =>
        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert },
            "ssl.keyPath (SOKETI_SSL_KEY) must be set too: ssl.certPath (SOKETI_SSL_CERT) is set, and TLS needs the certificate and its private key");

    [Fact]
    public void A_key_without_a_certificate_stops_start_up() =>
        AssertProblem(new() { ["SOKETI_SSL_KEY"] = _key },
            "ssl.certPath (SOKETI_SSL_CERT) must be set too: ssl.keyPath (SOKETI_SSL_KEY) is set, and TLS needs the certificate and its private key");

    [Fact]
    public void A_missing_certificate_file_stops_start_up()
    {
        var missing = PathOf("missing.crt");

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = missing, ["SOKETI_SSL_KEY"] = _key },
            $"ssl.certPath (SOKETI_SSL_CERT): cannot read \"{missing}\": no such file");
    }

    /// <summary>Env values are JSON-parsed, so "\u0000" in one is a NUL: no file can have that path (found by ConfigFuzzTests).</summary>
    [Fact]
    public void A_certificate_path_no_file_can_have_stops_start_up()
    {
        var problems = Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Load([], new Dictionary<string, string> { ["SOKETI_SSL_CERT"] = "\"a\\u0000b\"", ["SOKETI_SSL_KEY"] = _key })).Problems;

        Assert.StartsWith("ssl.certPath (SOKETI_SSL_CERT): cannot read \"a\0b\": ", Assert.Single(problems));
    }

    [Fact]
    public void A_missing_key_file_stops_start_up()
    {
        var missing = PathOf("missing.key");

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = missing },
            $"ssl.keyPath (SOKETI_SSL_KEY): cannot read \"{missing}\": no such file");
    }

    [Fact]
    public void A_certificate_file_without_a_certificate_stops_start_up() =>
        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _key, ["SOKETI_SSL_KEY"] = _key },
            $"ssl.certPath (SOKETI_SSL_CERT): \"{_key}\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)");

    [Fact]
    public void A_key_file_without_a_key_stops_start_up() =>
        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = _cert },
            $"ssl.keyPath (SOKETI_SSL_KEY): \"{_cert}\" holds no PEM private key (-----BEGIN PRIVATE KEY-----)");

    [Fact]
    public void An_encrypted_key_without_a_passphrase_stops_start_up()
    {
        var encrypted = PemFiles.WriteKey(PathOf("encrypted.key"), _server, Passphrase);

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = encrypted },
            $"ssl.keyPath (SOKETI_SSL_KEY): the private key in \"{encrypted}\" is encrypted; set ssl.passphrase (SOKETI_SSL_PASS)");
    }

    [Fact]
    public void A_wrong_passphrase_stops_start_up()
    {
        var encrypted = PemFiles.WriteKey(PathOf("encrypted.key"), _server, Passphrase);

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = encrypted, ["SOKETI_SSL_PASS"] = "wrong" },
            $"ssl.passphrase (SOKETI_SSL_PASS) does not decrypt the private key in \"{encrypted}\"");
    }

    [Fact]
    public void A_key_encrypted_in_openssls_legacy_format_stops_start_up_saying_how_to_convert_it()
    {
        // What `openssl genrsa -aes128 -traditional` writes: encryption headers inside the PEM block.
        var legacy = PathOf("legacy.key");
        File.WriteAllText(legacy, """
            -----BEGIN RSA PRIVATE KEY-----
            Proc-Type: 4,ENCRYPTED
            DEK-Info: AES-128-CBC,5C3A0E6D2B1F4A8C9E7D6B5A4C3B2A19

            bm90IGEgcmVhbCBrZXk=
            -----END RSA PRIVATE KEY-----
            """);

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = legacy, ["SOKETI_SSL_PASS"] = Passphrase },
            $"ssl.keyPath (SOKETI_SSL_KEY): the private key in \"{legacy}\" is encrypted in OpenSSL's legacy format, which is not supported; convert it with `openssl pkcs8 -topk8 -in old.key -out new.key`");
    }

    [Fact]
    public void The_key_of_another_certificate_stops_start_up()
    {
        using var other = TestCertificateAuthority.IssueServer(_ca.Root, "other");
        var otherKey = PemFiles.WriteKey(PathOf("other.key"), other);

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = otherKey },
            $"ssl.keyPath (SOKETI_SSL_KEY): the private key in \"{otherKey}\" is not the key of the certificate in \"{_cert}\"");
    }

    [Fact]
    public void A_missing_ca_file_stops_start_up()
    {
        var missing = PathOf("missing-ca.crt");

        AssertProblem(new() { ["SOKETI_SSL_CERT"] = _cert, ["SOKETI_SSL_KEY"] = _key, ["SOKETI_SSL_CA"] = missing },
            $"ssl.caPath (SOKETI_SSL_CA): cannot read \"{missing}\": no such file");
    }

    [Theory]
    [InlineData("SOKETI_SSL_PASS", "ssl.passphrase (SOKETI_SSL_PASS)")]
    [InlineData("SOKETI_SSL_CA", "ssl.caPath (SOKETI_SSL_CA)")]
    public void A_passphrase_or_ca_without_certificate_and_key_is_warned_about(string variable, string described)
    {
        var options = Load(new() { [variable] = "x" });

        Assert.Null(options.Tls);
        Assert.Equal([$"{described} is set but ssl.certPath (SOKETI_SSL_CERT) and ssl.keyPath (SOKETI_SSL_KEY) are not: TLS is off and it has no effect"], options.Warnings);
    }

    public void Dispose()
    {
        _server.Dispose();
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static SoketiOptions Load(Dictionary<string, string> env) => ConfigLoader.Load([], env);

    private static void AssertProblem(Dictionary<string, string> env, string problem) =>
        Assert.Equal([problem], Assert.Throws<ConfigurationException>(() => Load(env)).Problems);

    private string PathOf(string name) => Path.Combine(_dir, name);
}
