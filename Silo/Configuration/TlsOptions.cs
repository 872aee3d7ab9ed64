namespace SoketiOrleans.Silo.Configuration;

/// <summary>soketi's <c>ssl.*</c>: the port serves TLS with this certificate. PEM files.</summary>
/// <param name="CertPath">The server certificate, optionally followed by its chain (a full-chain file).</param>
/// <param name="Passphrase">Decrypts an encrypted private key; "" for none.</param>
/// <param name="CaPath">Further chain certificates sent with the server certificate; "" for none.</param>
public sealed record TlsOptions(string CertPath, string KeyPath, string Passphrase, string CaPath);
