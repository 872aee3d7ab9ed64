using System.Net;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// <c>local</c> mode: Orleans localhost clustering, all traffic on loopback. One process is a whole
/// cluster; further processes on the same host may join it by naming the primary's silo port
/// (development and the multi-silo tests use this).
/// </summary>
internal static class LocalClustering
{
    public static void Configure(ISiloBuilder silo, OrleansOptions options)
    {
        var siloPort = options.SiloPort != 0 ? options.SiloPort : Ports.Free(IPAddress.Loopback);
        var primary = options.PrimarySiloPort != 0 ? new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort) : null;

        // Gateway port 0: in co-hosted mode no external Orleans client connects to this silo.
        silo.UseLocalhostClustering(siloPort, gatewayPort: 0, primary, options.ServiceId, options.ClusterId);
    }
}
