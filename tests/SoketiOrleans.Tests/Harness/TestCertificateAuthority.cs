using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A throwaway certificate authority for TLS tests, made in-process with <see cref="CertificateRequest"/>:
/// a root, the intermediates it signs, and server certificates for 127.0.0.1 and localhost, with
/// ECDSA P-256 keys (instant to make). Clients of the tests trust this root and nothing else.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 root) => Root = root;

    public X509Certificate2 Root { get; }

    public static TestCertificateAuthority Create(string name = "soketi-orleans test root")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, certificateAuthority: true);
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1)));
    }

    /// <summary>A CA certificate signed by <paramref name="issuer"/> (this root or an intermediate).</summary>
    public static X509Certificate2 IssueIntermediate(X509Certificate2 issuer, string name) => Issue(issuer, name, certificateAuthority: true);

    /// <summary>A server certificate for 127.0.0.1 and localhost, with its private key, signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 issuer, string name) => Issue(issuer, name, certificateAuthority: false);

    /// <summary>
    /// Accepts what a client trusting only this root accepts: a certificate for the host it called,
    /// chaining to the root through the certificates the server sent with it (nothing is downloaded).
    /// </summary>
    /// <param name="presented">Told the server's certificate of every handshake.</param>
    public RemoteCertificateValidationCallback Validator(Action<X509Certificate2>? presented = null) => (_, certificate, chain, errors) =>
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        presented?.Invoke(leaf);
        using var ours = new X509Chain();
        ours.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ours.ChainPolicy.CustomTrustStore.Add(Root);
        ours.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        ours.ChainPolicy.DisableCertificateDownloads = true;
        if (chain is not null)
        {
            // SslStream puts the certificates the server sent with its own here.
            ours.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return ours.Build(leaf);
    };

    public void Dispose() => Root.Dispose();

    private static X509Certificate2 Issue(X509Certificate2 issuer, string name, bool certificateAuthority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, certificateAuthority);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (!certificateAuthority)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(issuer, issuer.NotBefore, issuer.NotAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }

    private static CertificateRequest Request(string name, ECDsa key, bool certificateAuthority)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            certificateAuthority ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }
}
