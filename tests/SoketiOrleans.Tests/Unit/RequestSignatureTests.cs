using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.HttpApi;

namespace SoketiOrleans.Tests.Unit;

public sealed class RequestSignatureTests
{
    private static readonly App DocApp = new() { Id = "3", Key = PusherDocVectors.Key, Secret = PusherDocVectors.Secret };
    private static readonly DateTimeOffset SigningTime = DateTimeOffset.FromUnixTimeSeconds(PusherDocVectors.EventsTimestamp);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(PusherDocVectors.EventsBody);

    private const string DocQuery =
        "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f";

    [Fact]
    public void Accepts_pushers_http_api_example() =>
        Assert.Null(RequestSignature.Check(Request("POST", "/apps/3/events", $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}"), DocApp, Body, SigningTime));

    [Fact]
    public void Accepts_parameters_in_any_order_and_with_uppercase_keys()
    {
        var query = $"auth_signature={PusherDocVectors.EventsSignature}&body_md5=ec365a775a4cd0599faeb73354201b6f&AUTH_VERSION=1.0&auth_timestamp=1353088179&auth_key=278d425bdf160c739803";
        Assert.Null(RequestSignature.Check(Request("POST", "/apps/3/events", query), DocApp, Body, SigningTime));
    }

    [Fact]
    public void Allows_600_seconds_of_clock_skew_either_way()
    {
        var request = Request("POST", "/apps/3/events", $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}");
        Assert.Null(RequestSignature.Check(request, DocApp, Body, SigningTime.AddSeconds(600)));
        Assert.Null(RequestSignature.Check(request, DocApp, Body, SigningTime.AddSeconds(-600)));
        Assert.StartsWith("Timestamp expired", RequestSignature.Check(request, DocApp, Body, SigningTime.AddSeconds(601)));
        Assert.StartsWith("Timestamp expired", RequestSignature.Check(request, DocApp, Body, SigningTime.AddSeconds(-601)));
    }

    [Fact]
    public void Rejects_a_body_other_than_the_signed_one() =>
        Assert.Equal("The body_md5 does not match the body.", RequestSignature.Check(
            Request("POST", "/apps/3/events", $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}"), DocApp, "{}"u8, SigningTime));

    [Fact]
    public void Rejects_a_body_without_body_md5() =>
        Assert.Equal("The body_md5 does not match the body.", RequestSignature.Check(
            Request("POST", "/apps/3/events", $"auth_key={PusherDocVectors.Key}&auth_timestamp=1353088179&auth_version=1.0&auth_signature=00"), DocApp, Body, SigningTime));

    [Fact]
    public void Rejects_another_path() =>
        Assert.StartsWith("Invalid signature", RequestSignature.Check(
            Request("POST", "/apps/3/batch_events", $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}"), DocApp, Body, SigningTime));

    [Fact]
    public void Rejects_another_method() =>
        Assert.StartsWith("Invalid signature", RequestSignature.Check(
            Request("PUT", "/apps/3/events", $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}"), DocApp, Body, SigningTime));

    [Fact]
    public void Rejects_an_added_parameter() =>
        Assert.StartsWith("Invalid signature", RequestSignature.Check(
            Request("POST", "/apps/3/events", $"{DocQuery}&info=user_count&auth_signature={PusherDocVectors.EventsSignature}"), DocApp, Body, SigningTime));

    [Theory]
    [InlineData("auth_key")]
    [InlineData("auth_timestamp")]
    [InlineData("auth_version")]
    [InlineData("auth_signature")]
    public void Names_a_missing_authentication_parameter(string missing)
    {
        var query = string.Join('&', $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}".Split('&').Where(p => !p.StartsWith(missing + "=")));
        Assert.Equal($"Missing authentication parameter {missing}.", RequestSignature.Check(Request("POST", "/apps/3/events", query), DocApp, Body, SigningTime));
    }

    [Fact]
    public void Rejects_another_apps_key() =>
        Assert.Equal("The auth_key does not belong to this app.", RequestSignature.Check(
            Request("POST", "/apps/3/events", $"{DocQuery}&auth_signature={PusherDocVectors.EventsSignature}"),
            DocApp with { Key = "another" }, Body, SigningTime));

    [Fact]
    public void Rejects_a_repeated_parameter() =>
        Assert.Equal("The query parameter auth_version is given more than once.", RequestSignature.Check(
            Request("POST", "/apps/3/events", $"{DocQuery}&auth_version=1.0&auth_signature={PusherDocVectors.EventsSignature}"), DocApp, Body, SigningTime));

    private static DefaultHttpContext Request(string method, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString("?" + query);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = $"{path}?{query}";
        return context;
    }
}
