using System.Diagnostics;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A real <c>redis-server</c> that speaks only TLS, on a free loopback port, with a throwaway CA and
/// server certificate (for 127.0.0.1) made with <c>openssl</c> in a temporary folder. Clients are not
/// asked for certificates.
/// </summary>
public sealed class RedisTls : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private RedisTls(DirectoryInfo folder, RedisServer server)
    {
        _folder = folder;
        Server = server;
    }

    public RedisServer Server { get; }

    /// <summary>The CA that signed the server's certificate; nothing trusts it unless told.</summary>
    public string CaFile => Path.Combine(_folder.FullName, "ca.crt");

    public static async Task<RedisTls> Start()
    {
        var folder = Directory.CreateTempSubdirectory("soketi-orleans-redis-tls-");
        try
        {
            await MakeCertificates(folder.FullName);
            var port = FreePort.Next();
            var server = await RedisServer.Start(
                port: port,
                arguments:
                [
                    "--port", "0", "--tls-port", port.ToString(),
                    "--tls-cert-file", Path.Combine(folder.FullName, "server.crt"),
                    "--tls-key-file", Path.Combine(folder.FullName, "server.key"),
                    "--tls-ca-cert-file", Path.Combine(folder.FullName, "ca.crt"),
                    "--tls-auth-clients", "no",
                ],
                cli: ["--tls", "--cacert", Path.Combine(folder.FullName, "ca.crt")]);
            return new RedisTls(folder, server);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>soketi's variables for this Redis with TLS on; <paramref name="trustCa"/> adds this server's CA option.</summary>
    public Dictionary<string, string> Environment(bool trustCa = true)
    {
        var env = new Dictionary<string, string>
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis",
            ["SOKETI_DB_REDIS_HOST"] = "127.0.0.1",
            ["SOKETI_DB_REDIS_PORT"] = Server.Port.ToString(),
            ["SOKETI_DB_REDIS_TLS"] = "true",
        };
        if (trustCa)
        {
            env["SOKETI_DB_REDIS_TLS_CA"] = CaFile;
        }

        return env;
    }

    private static async Task MakeCertificates(string folder)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        await OpenSsl(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=soketi-orleans test CA");
        await OpenSsl(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        await OpenSsl(folder, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "server.ext");
    }

    private static async Task OpenSsl(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var openssl = Process.Start(start)!;
        var output = openssl.StandardOutput.ReadToEndAsync();
        var error = openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        if (openssl.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} exited with {openssl.ExitCode}:\n{await output}\n{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
