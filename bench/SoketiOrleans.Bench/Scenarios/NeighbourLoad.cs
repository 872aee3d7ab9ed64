using System.Diagnostics;
using System.Globalization;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// What another app's client does to the server in a <see cref="Neighbour"/> run, as a process of its own: a
/// scenario of this tool that sets its load up, says so on one <see cref="OpenedPrefix"/> line with how many of
/// its units the server took (sockets opened, subscribes answered), keeps the load going until its standard
/// input closes, then prints its result line.
/// </summary>
public sealed record NeighbourLoad(string Scenario, SizeOption Size)
{
    public const string OpenedPrefix = "OPENED ";

    /// <summary>Says that the load is set up, with how many of its units the server took.</summary>
    public static void Opened(int units) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{OpenedPrefix}{units}"));

    /// <summary>Until the neighbour run is done with the load.</summary>
    // Console.In reads synchronously whatever the method's name, and the caller may be on the socket engine's
    // thread (the bench runs socket continuations inline): blocking it would stop every socket of the load.
    public static Task Held() => Task.Run(() => Console.In.ReadToEnd());

    /// <summary>
    /// Starts this tool again as the load, against <paramref name="target"/>, on the same CPUs as this process
    /// and as Linux's <c>SCHED_IDLE</c> (<c>chrt --idle 0</c>, which execs it: the PID is the load's). The
    /// bystander measured here sleeps between its events, and its wake-ups must not wait behind the load's
    /// process on the generator's core, or that wait counts as the server's delay. <c>nice -n 19</c> was not
    /// enough: Linux's scheduler (EEVDF, since 6.6) need not preempt a running task at once for a woken one
    /// of more weight, and the bystander's frames waited 4–5 ms in its socket after the server had sent
    /// them (docs/robustness.md, "The socket flood"). A task of the idle policy is preempted at once.
    /// </summary>
    public Process Start(Target target, int serverPid, int size)
    {
        var info = new ProcessStartInfo("chrt")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--idle");
        info.ArgumentList.Add("0");
        info.ArgumentList.Add(Environment.ProcessPath!);
        // Under `dotnet X.dll` the process is the host and the tool is its first argument.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            info.ArgumentList.Add(typeof(NeighbourLoad).Assembly.Location);
        foreach (var argument in (string[])[
            "run", "--scenario", Scenario, "--host", target.Host, "--port", target.Port.ToString(CultureInfo.InvariantCulture),
            "--app-id", target.AppId, "--key", target.Key, "--secret", target.Secret,
            "--server-pid", serverPid.ToString(CultureInfo.InvariantCulture),
            "--" + Size.Name, size.ToString(CultureInfo.InvariantCulture)])
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException($"the {Scenario} process did not start");
    }
}
