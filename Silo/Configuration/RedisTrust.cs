using System.Security.Cryptography.X509Certificates;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>The CA certificate named by <c>database.redis.tlsCa</c>, for servers whose certificate the system does not trust.</summary>
internal static class RedisTrust
{
    /// <summary>PEM or DER, one certificate.</summary>
    public static X509Certificate2 Load(string path) => X509CertificateLoader.LoadCertificateFromFile(path);
}
