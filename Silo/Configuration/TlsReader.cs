using SoketiOrleans.Silo.Tls;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// Reads soketi's <c>ssl.*</c>: TLS is on when <c>ssl.certPath</c> or <c>ssl.keyPath</c> is set, as
/// in soketi. The files are loaded here, so that a missing file, a wrong passphrase or a key of
/// another certificate stops start-up with the other configuration problems.
/// </summary>
internal static class TlsReader
{
    public static TlsOptions? Read(OptionsReader r)
    {
        var tls = new TlsOptions(r.String("ssl.certPath"), r.String("ssl.keyPath"), r.String("ssl.passphrase"), r.String("ssl.caPath"));
        if (tls.CertPath.Length == 0 && tls.KeyPath.Length == 0)
        {
            foreach (var (path, value) in new[] { ("ssl.passphrase", tls.Passphrase), ("ssl.caPath", tls.CaPath) })
            {
                if (value.Length > 0)
                {
                    r.Warnings.Add($"{EnvironmentVariables.Describe(path)} is set but {EnvironmentVariables.Describe("ssl.certPath")} and {EnvironmentVariables.Describe("ssl.keyPath")} are not: TLS is off and it has no effect");
                }
            }

            return null;
        }

        if (tls.CertPath.Length == 0 || tls.KeyPath.Length == 0)
        {
            var (set, missing) = tls.CertPath.Length == 0 ? ("ssl.keyPath", "ssl.certPath") : ("ssl.certPath", "ssl.keyPath");
            r.Problems.Add($"{EnvironmentVariables.Describe(missing)} must be set too: {EnvironmentVariables.Describe(set)} is set, and TLS needs the certificate and its private key");
            return null;
        }

        try
        {
            ServerCertificate.Load(tls);
            return tls;
        }
        catch (TlsFileException e)
        {
            r.Problems.Add(e.Message);
            return null;
        }
    }
}
