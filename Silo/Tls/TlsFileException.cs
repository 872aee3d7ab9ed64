namespace SoketiOrleans.Silo.Tls;

/// <summary>A TLS file that cannot be used; the message is one line naming the option, its env var and the reason.</summary>
internal sealed class TlsFileException(string message) : Exception(message);
