using Microsoft.AspNetCore.Http;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.WarmUp;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>An HTTP API request that passed the app (404), size (413) and signature (401) checks.</summary>
public sealed record ApiRequest(App App, byte[] Body)
{
    /// <returns>null when the request was refused; the response is then written.</returns>
    public static async Task<ApiRequest?> Authenticate(HttpContext context, GatewayApps apps, GatewayOptions options, string appId)
    {
        if (await apps.FindById(appId) is not { } app)
        {
            await ApiResponses.Error(context, StatusCodes.Status404NotFound, $"The app {appId} could not be found.");
            return null;
        }

        if (context.Request.ContentLength > options.HttpRequestLimitBytes)
        {
            await BodyTooLarge(context, options);
            return null;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await BodyTooLarge(context, options);
            return null;
        }

        if (RequestSignature.Check(context, app, body, DateTimeOffset.UtcNow) is { } problem)
        {
            await ApiResponses.Error(context, StatusCodes.Status401Unauthorized, problem);
            return null;
        }

        return new ApiRequest(app, body);
    }

    private static Task BodyTooLarge(HttpContext context, GatewayOptions options) =>
        ApiResponses.Error(context, StatusCodes.Status413PayloadTooLarge,
            $"The request body is larger than the allowed {options.HttpRequestLimitBytes} bytes (httpApi.requestLimitInMb).");
}
