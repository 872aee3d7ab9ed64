using System.Net;
using SoketiOrleans.Silo;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

/// <summary>When a process turns Orleans' Kubernetes hosting on: silos of the redis mode in a pod that was told its name and namespace.</summary>
public sealed class KubernetesHostingTests
{
    public static readonly IReadOnlyDictionary<string, string> InPod = new Dictionary<string, string>
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1",
        ["POD_NAME"] = "soketi-5f7d8c9b4-x2x7k",
        ["POD_NAMESPACE"] = "realtime",
        ["POD_IP"] = "10.244.1.7",
    };

    private static KubernetesHosting.Pod? Detect(IReadOnlyDictionary<string, string> environment, params (string Name, string Value)[] settings) =>
        KubernetesHosting.Detect(ConfigLoader.Load([], settings.ToDictionary(s => s.Name, s => s.Value)), environment);

    private static Dictionary<string, string> InPodWith(string name, string? value)
    {
        var environment = new Dictionary<string, string>(InPod);
        if (value is null)
        {
            environment.Remove(name);
        }
        else
        {
            environment[name] = value;
        }

        return environment;
    }

    [Theory]
    [InlineData("full")]
    [InlineData("worker")]
    public void A_redis_mode_silo_in_a_pod_uses_it(string mode)
    {
        var pod = Detect(InPod, ("SOKETI_ADAPTER_DRIVER", "redis"), ("SOKETI_MODE", mode));

        Assert.Equal(new KubernetesHosting.Pod("soketi-5f7d8c9b4-x2x7k", "realtime", IPAddress.Parse("10.244.1.7")), pod);
    }

    [Fact]
    public void A_server_hosts_no_silo_so_it_stays_off()
    {
        Assert.Null(Detect(InPod, ("SOKETI_ADAPTER_DRIVER", "redis"), ("SOKETI_MODE", "server")));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("cluster")]
    public void Local_and_cluster_mode_keep_it_off(string driver)
    {
        Assert.Null(Detect(InPod, ("SOKETI_ADAPTER_DRIVER", driver)));
    }

    [Theory]
    [InlineData("KUBERNETES_SERVICE_HOST", null)]
    [InlineData("KUBERNETES_SERVICE_HOST", "")]
    [InlineData("POD_NAME", null)]
    [InlineData("POD_NAME", " ")]
    [InlineData("POD_NAMESPACE", null)]
    [InlineData("POD_NAMESPACE", "")]
    public void Without_kubernetes_or_the_pods_name_and_namespace_it_stays_off(string variable, string? value)
    {
        Assert.Null(Detect(InPodWith(variable, value), ("SOKETI_ADAPTER_DRIVER", "redis")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    public void Without_a_usable_pod_ip_it_is_on_and_the_silo_advertises_as_before(string? podIp)
    {
        var pod = Detect(InPodWith("POD_IP", podIp), ("SOKETI_ADAPTER_DRIVER", "redis"));

        Assert.Equal(new KubernetesHosting.Pod("soketi-5f7d8c9b4-x2x7k", "realtime", null), pod);
    }
}
