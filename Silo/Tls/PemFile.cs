using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Tls;

/// <summary>Reads the PEM files the <c>ssl.*</c> options name; every failure names the option.</summary>
internal static class PemFile
{
    public static string Read(string option, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TlsFileException($"{EnvironmentVariables.Describe(option)}: cannot read \"{path}\": no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // ArgumentException: a path no file can have (a NUL, from a JSON-escaped env value), found by fuzzing.
            throw new TlsFileException($"{EnvironmentVariables.Describe(option)}: cannot read \"{path}\": {e.Message}");
        }
    }

    /// <returns>Every certificate in the file, in file order; at least one.</returns>
    public static X509Certificate2Collection Certificates(string option, string path)
    {
        var text = Read(option, path);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException)
        {
            throw new TlsFileException($"{EnvironmentVariables.Describe(option)}: \"{path}\" holds a malformed PEM certificate");
        }

        return certificates.Count > 0
            ? certificates
            : throw new TlsFileException($"{EnvironmentVariables.Describe(option)}: \"{path}\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    /// <summary>The labels of the file's PEM sections (<c>PRIVATE KEY</c>, <c>CERTIFICATE</c>, …), in order.</summary>
    public static IReadOnlyList<string> Labels(string text)
    {
        var labels = new List<string>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            labels.Add(rest[fields.Label].ToString());
            rest = rest[fields.Location.End..];
        }

        return labels;
    }
}
