using System.Text.Json;

namespace SoketiOrleans.Tests.Harness;

/// <summary>Checks of HTTP API answers: status and JSON body together.</summary>
public static class ApiAssert
{
    public const string Ok = """{"ok":true}""";

    public static void IsOk((int Status, string Body) response)
    {
        Assert.Equal((200, Ok), response);
    }

    /// <summary>
    /// An error is exactly <c>{"error":"…","code":status}</c> with the HTTP status; the message is
    /// compared when the behaviour defines it, otherwise it must be a non-empty string.
    /// </summary>
    public static void IsError((int Status, string Body) response, int status, string? message = null)
    {
        Assert.True(response.Status == status, $"Expected HTTP {status} but got {response.Status}: {response.Body}");
        var body = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal(["error", "code"], body.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(status, body.GetProperty("code").GetInt32());
        var error = body.GetProperty("error").GetString();
        if (message is null)
        {
            Assert.False(string.IsNullOrWhiteSpace(error), $"Expected an error message in {response.Body}");
        }
        else
        {
            Assert.Equal(message, error);
        }
    }
}
