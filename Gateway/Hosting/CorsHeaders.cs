using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>
/// soketi's CORS headers on every HTTP response (probes, API, 404s), and an answer to browsers'
/// preflights, which soketi leaves to its 404 (so browsers refuse the call). soketi writes the
/// origins joined with ", ", which browsers reject when there are several: here a list holding
/// <c>*</c> answers <c>*</c>, and any other list echoes the request's Origin when it is listed and
/// leaves the header out when it is not. WebSocket upgrades are left alone: CORS does not apply to them.
/// </summary>
internal sealed class CorsHeaders
{
    /// <summary>Seconds browsers may reuse a preflight's answer; short, so that a configuration change is seen soon.</summary>
    private static readonly StringValues PreflightMaxAge = "600";

    private readonly CorsOptions _cors;
    private readonly bool _everyOrigin;
    private readonly StringValues _methods;
    private readonly StringValues _headers;

    public CorsHeaders(GatewayOptions options)
    {
        _cors = options.Cors;
        _everyOrigin = _cors.Origins.Contains("*");
        _methods = string.Join(", ", _cors.Methods);
        _headers = string.Join(", ", _cors.AllowedHeaders);
    }

    public Task Handle(HttpContext context, RequestDelegate next)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            return next(context);
        }

        var request = context.Request;
        var headers = context.Response.Headers;
        AllowOrigin(request.Headers.Origin, headers);
        if (_cors.Methods.Count > 0)
        {
            headers.AccessControlAllowMethods = _methods;
        }

        if (_cors.AllowedHeaders.Count > 0)
        {
            headers.AccessControlAllowHeaders = _headers;
        }

        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            headers.AccessControlMaxAge = PreflightMaxAge;
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        return next(context);
    }

    private void AllowOrigin(StringValues origin, IHeaderDictionary headers)
    {
        if (_everyOrigin)
        {
            headers.AccessControlAllowOrigin = "*";
            return;
        }

        // The answer depends on the Origin: caches must not hand one origin's answer to another.
        headers.Vary = HeaderNames.Origin;
        if (origin.Count == 1 && origin[0] is { Length: > 0 } value && _cors.Origins.Any(pattern => OriginPolicy.Matches(pattern, value)))
        {
            headers.AccessControlAllowOrigin = origin;
            if (_cors.Credentials)
            {
                headers.AccessControlAllowCredentials = "true";
            }
        }
    }
}
