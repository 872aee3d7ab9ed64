using System.Security.Cryptography;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Tls;

/// <summary>
/// The private key of <c>ssl.keyPath</c>: PKCS#8 (<c>PRIVATE KEY</c>, or <c>ENCRYPTED PRIVATE KEY</c>
/// with <c>ssl.passphrase</c>), PKCS#1 RSA or SEC1 EC. Each way it can be unusable gets its own
/// message, because "the TLS context could not be created" is all uWS tells a soketi operator.
/// </summary>
internal static class PrivateKeyPem
{
    private const string KeyOption = "ssl.keyPath";
    private const string PassphraseOption = "ssl.passphrase";

    private static readonly string[] PlainLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    /// <returns>An RSA or ECDsa key.</returns>
    public static AsymmetricAlgorithm Read(string path, string passphrase)
    {
        var text = PemFile.Read(KeyOption, path);
        var labels = PemFile.Labels(text);
        if (labels.Contains("ENCRYPTED PRIVATE KEY"))
        {
            return passphrase.Length == 0
                ? throw new TlsFileException($"{EnvironmentVariables.Describe(KeyOption)}: the private key in \"{path}\" is encrypted; set {EnvironmentVariables.Describe(PassphraseOption)}")
                : Import(key => key.ImportFromEncryptedPem(text, passphrase))
                    ?? throw new TlsFileException($"{EnvironmentVariables.Describe(PassphraseOption)} does not decrypt the private key in \"{path}\"");
        }

        // OpenSSL's pre-PKCS#8 encryption (headers inside the PEM block), which .NET cannot read.
        if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new TlsFileException($"{EnvironmentVariables.Describe(KeyOption)}: the private key in \"{path}\" is encrypted in OpenSSL's legacy format, which is not supported; convert it with `openssl pkcs8 -topk8 -in old.key -out new.key`");
        }

        if (!labels.Any(PlainLabels.Contains))
        {
            throw new TlsFileException($"{EnvironmentVariables.Describe(KeyOption)}: \"{path}\" holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }

        return Import(key => key.ImportFromPem(text))
            ?? throw new TlsFileException($"{EnvironmentVariables.Describe(KeyOption)}: the private key in \"{path}\" is neither an RSA nor an EC key");
    }

    /// <summary>The key read as RSA, else as EC; null when neither reads it.</summary>
    private static AsymmetricAlgorithm? Import(Action<AsymmetricAlgorithm> import)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            var key = create();
            try
            {
                import(key);
                return key;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                key.Dispose();
            }
        }

        return null;
    }
}
