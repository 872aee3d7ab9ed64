using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Tls;

/// <summary>
/// The certificate the port presents, from the <c>ssl.*</c> files: the first certificate of
/// <c>ssl.certPath</c> with the key of <c>ssl.keyPath</c>, and as its chain the certificates that
/// follow it in that file (a full-chain file, as certbot writes) and those of <c>ssl.caPath</c>.
/// </summary>
internal static class ServerCertificate
{
    /// <exception cref="TlsFileException">A file is missing, unreadable, or does not fit the others.</exception>
    public static SslStreamCertificateContext Load(TlsOptions tls)
    {
        var certificates = PemFile.Certificates("ssl.certPath", tls.CertPath);
        var chain = new X509Certificate2Collection(certificates.Skip(1).ToArray());
        if (tls.CaPath.Length > 0)
        {
            chain.AddRange(PemFile.Certificates("ssl.caPath", tls.CaPath));
        }

        using var key = PrivateKeyPem.Read(tls.KeyPath, tls.Passphrase);
        // Offline: the chain is what the files hold; nothing is fetched from the issuer's URLs.
        return SslStreamCertificateContext.Create(WithKey(certificates[0], key, tls), chain, offline: true);
    }

    private static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key, TlsOptions tls)
    {
        try
        {
            return key is ECDsa ecdsa ? certificate.CopyWithPrivateKey(ecdsa) : certificate.CopyWithPrivateKey((RSA)key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new TlsFileException($"{EnvironmentVariables.Describe("ssl.keyPath")}: the private key in \"{tls.KeyPath}\" is not the key of the certificate in \"{tls.CertPath}\"");
        }
    }
}
