using Microsoft.AspNetCore.Http;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>JSON bodies of the HTTP API; errors are <c>{"error":"…","code":status}</c> as in soketi.</summary>
public static class ApiResponses
{
    public static readonly byte[] Ok = """{"ok":true}"""u8.ToArray();

    public static Task Json(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>
    /// 503 when the cluster could not answer within the retry budget (a silo died and its grains are
    /// still moving): nothing was acknowledged, so the backend's SDK should send the request again.
    /// </summary>
    public static Task Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Error(context, StatusCodes.Status503ServiceUnavailable,
            "The cluster could not handle the request in time: a server is failing over. Retry the request.");
    }

    /// <summary>
    /// 200 with the body <paramref name="compute"/> builds from the cluster; 503 when the cluster could
    /// not answer in time, 500 when it failed. Either failure goes to <paramref name="failed"/> first.
    /// </summary>
    public static async Task FromCluster(HttpContext context, Func<Task<byte[]>> compute, Action<Exception> failed)
    {
        byte[] body;
        try
        {
            body = await compute();
        }
        catch (ClusterUnavailableException e)
        {
            failed(e);
            await Unavailable(context);
            return;
        }
        catch (Exception e)
        {
            failed(e);
            await Error(context, StatusCodes.Status500InternalServerError, "A server error has occurred.");
            return;
        }

        await Json(context, StatusCodes.Status200OK, body);
    }

    public static Task Error(HttpContext context, int status, string message) =>
        Json(context, status, PusherFrame.Json((status, message), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, s.message);
            w.WriteNumber("code"u8, s.status);
            w.WriteEndObject();
        }));
}
