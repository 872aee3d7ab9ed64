using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Tls;

/// <summary>The port's listener: plain, or TLS (wss:// and https:// on the one port, as soketi's uWS SSLApp serves them).</summary>
internal static class TlsListener
{
    public static Action<ListenOptions> Configure(KestrelServerOptions kestrel, TlsOptions? tls)
    {
        if (tls is null)
        {
            return _ => { };
        }

        var certificate = new ReloadingCertificate(tls, kestrel.ApplicationServices.GetRequiredService<ILogger<ReloadingCertificate>>());
        return listen =>
        {
            // HTTP/1.1 only, as soketi: clients open WebSockets with it, and WebSockets over HTTP/2
            // (which ALPN would otherwise offer to browsers) are a path this server does not test.
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = certificate.Current }),
            });
        };
    }
}
