using Microsoft.AspNetCore.Http;
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

    public static Task Error(HttpContext context, int status, string message) =>
        Json(context, status, PusherFrame.Json((status, message), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, s.message);
            w.WriteNumber("code"u8, s.status);
            w.WriteEndObject();
        }));
}
