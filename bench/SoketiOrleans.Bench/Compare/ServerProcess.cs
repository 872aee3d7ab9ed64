using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SoketiOrleans.Bench.Compare;

/// <summary>A server under test, started on a free loopback port with its own config and log file.</summary>
public sealed class ServerProcess
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process process;
    private readonly string logFile;

    private ServerProcess(Process process, int port, string logFile)
    {
        this.process = process;
        this.logFile = logFile;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's own PID: taskset and bash exec into the command, which must exec into the server too.</summary>
    public int Pid => process.Id;

    public static async Task<ServerProcess> StartAsync(Contender contender, string cpus, string directory)
    {
        var port = FreePort();
        var config = Path.Combine(directory, "config.json");
        var log = Path.Combine(directory, "server.log");
        await File.WriteAllTextAsync(config, ServerConfig.Json(port));
        var start = new ProcessStartInfo("taskset")
        {
            // soketi reads a .env from its working directory; the run's own directory has none.
            WorkingDirectory = directory,
            ArgumentList = { "-c", cpus, "bash", "-c", $"ulimit -n 20000; exec {contender.Command} --config='{config}' >'{log}' 2>&1" },
        };
        var server = new ServerProcess(Process.Start(start)!, port, log);
        await server.WaitUntilReadyAsync();
        return server;
    }

    public string LogTail(int lines = 30) =>
        File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(lines)) : "(no log)";

    /// <summary>SIGTERM, then SIGKILL if it has not exited in time.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"server {Pid} ignored SIGTERM for {StopTimeout.TotalSeconds} s; killing it");
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
                throw new ServerFailedException($"the server exited with {process.ExitCode} before it was ready", this);
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        await StopAsync();
        throw new ServerFailedException($"GET /ready did not answer 200 within {ReadyTimeout.TotalSeconds} s", this);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>The server did not start; the message carries the tail of its log.</summary>
public sealed class ServerFailedException(string message, ServerProcess server)
    : Exception($"{message}; last lines of its log:\n{server.LogTail()}");
