using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SoketiOrleans.Tests.Harness;

/// <summary>Certificates and keys written as the PEM files <c>SOKETI_SSL_*</c> name.</summary>
public static class PemFiles
{
    /// <summary>The certificates one after the other, as a full-chain file holds them.</summary>
    public static string WriteCertificates(string path, params X509Certificate2[] certificates)
    {
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }

    /// <summary>The certificate's private key as PKCS#8, encrypted with <paramref name="passphrase"/> when one is given.</summary>
    public static string WriteKey(string path, X509Certificate2 certificate, string? passphrase = null)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key", nameof(certificate));
        File.WriteAllText(path, passphrase is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048)));
        return path;
    }
}
