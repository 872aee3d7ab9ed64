using System.Net;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// Where a silo of the <c>redis</c> mode listens and what it writes into the membership table for
/// the others: its silo port (silo to silo) and its gateway port (where <c>server</c> processes
/// connect), each a free port unless set, on the address of <c>host</c>. A silo listening on every
/// address advertises the machine's own address.
/// </summary>
internal static class SiloEndpoints
{
    public static void Configure(ISiloBuilder silo, SoketiOptions options)
    {
        var address = Ports.ListenAddress(options.Host);
        var siloPort = options.Orleans.SiloPort != 0 ? options.Orleans.SiloPort : Ports.Free(address);
        var gatewayPort = options.Orleans.GatewayPort != 0 ? options.Orleans.GatewayPort : Ports.Free(address);
        if (address.Equals(IPAddress.Any))
        {
            silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(address, siloPort, gatewayPort);
        }
    }
}
