using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// The real server binary, started as users start it (environment variables and an optional
/// --config file), on free loopback ports. Disposing kills it by PID. A server given
/// <c>SOKETI_SSL_CERT</c> is called with https:// and wss://.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string WarmUpFailed = "The start-up warm-up failed";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _certificatePath;

    private ServerProcess(Process process, int port, int siloPort, string pathPrefix, string address, string? certificatePath)
    {
        _process = process;
        Port = port;
        SiloPort = siloPort;
        PathPrefix = pathPrefix;
        Address = address;
        _certificatePath = certificatePath;
    }

    /// <summary>Where clients reach it: loopback, or its address in an <see cref="IsolatedNetwork"/>.</summary>
    public string Address { get; }

    public int Port { get; }

    public int SiloPort { get; }

    /// <summary>The <c>SOKETI_PATH_PREFIX</c> it was started with (as given, e.g. <c>/ws</c>): every route is under it.</summary>
    public string PathPrefix { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool Tls => _certificatePath is not null;

    public Uri HttpUri => new($"{(Tls ? "https" : "http")}://{Address}:{Port}");

    public Uri WebSocketUri(string appKey = "app-key", string query = "protocol=7&client=js&version=8.4.0") =>
        new($"{(Tls ? "wss" : "ws")}://{Address}:{Port}{PathPrefix}/app/{appKey}?{query}");

    /// <summary>Path of the built server (Silo) assembly, in the same configuration as these tests.</summary>
    public static string ServerAssembly
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SOKETI_ORLEANS_DLL") is { Length: > 0 } overridden)
            {
                return overridden;
            }

            var testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar); // …/tests/SoketiOrleans.Tests/bin/<Configuration>/net10.0
            var configuration = new DirectoryInfo(testBin).Parent!.Name;
            return Path.Combine(Repository.Root, "Silo", "bin", configuration, "net10.0", "SoketiOrleans.Silo.dll");
        }
    }

    /// <summary>Starts and waits until <c>/ready</c> answers.</summary>
    /// <param name="environment">SOKETI_* variables; host, port and silo port are filled in unless given.</param>
    public static Task<ServerProcess> Start(IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        Ready(Launch(environment, args));

    /// <summary>Starts inside network namespace <paramref name="ns"/>, listening on every address there, and waits until it is ready at <paramref name="address"/>.</summary>
    public static Task<ServerProcess> StartIn(string ns, string address, IReadOnlyDictionary<string, string> environment) =>
        Ready(Launch(new Dictionary<string, string>(environment) { ["SOKETI_HOST"] = "0.0.0.0" }, [], ["ip", "netns", "exec", ns], address));

    /// <summary>Starts with this soft and hard limit on open files (<c>prlimit</c> execs the server: the PID stays the server's).</summary>
    public static Task<ServerProcess> StartWithOpenFileLimit(int soft, int hard) =>
        Ready(Launch(null, [], ["prlimit", $"--nofile={soft}:{hard}", "--"], "127.0.0.1"));

    private static async Task<ServerProcess> Ready(ServerProcess server)
    {
        try
        {
            await server.WaitUntilReady();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts without waiting: for start-ups that are expected to fail.</summary>
    public static ServerProcess Launch(IReadOnlyDictionary<string, string>? environment = null, params string[] args) => Launch(environment, args, [], "127.0.0.1");

    /// <param name="launcher">The command that runs <c>dotnet</c> in its place (none: dotnet itself).</param>
    private static ServerProcess Launch(IReadOnlyDictionary<string, string>? environment, string[] args, string[] launcher, string address)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        // A given value is passed on as is (start-up tests give invalid ones on purpose); Port is then 0 unless it is a number.
        var port = env.TryGetValue("SOKETI_PORT", out var p) ? (int.TryParse(p, out var given) ? given : 0) : FreePort.Next();
        var siloPort = env.TryGetValue("SOKETI_ORLEANS_SILO_PORT", out var s) ? (int.TryParse(s, out var givenSilo) ? givenSilo : 0) : FreePort.Next();
        env.TryAdd("SOKETI_HOST", "127.0.0.1");
        env.TryAdd("SOKETI_PORT", port.ToString());
        env.TryAdd("SOKETI_ORLEANS_SILO_PORT", siloPort.ToString());

        // A launcher (`ip netns exec` entering a namespace) execs the server in its place: the PID stays the server's.
        string[] command = [.. launcher, "dotnet"];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Its own empty folder: the server reads a .env file from its working directory.
            WorkingDirectory = Directory.CreateTempSubdirectory("soketi-orleans-").FullName,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(ServerAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("SOKETI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        // What the server keeps in temporary files (cluster mode's Raft log) goes with the folder,
        // also when the test killed the server before it could clean up.
        start.Environment.TryAdd("TMPDIR", Directory.CreateDirectory(Path.Combine(start.WorkingDirectory, "tmp")).FullName);
        // The suite starts a few hundred servers: quick first compilation saves about a second of CPU
        // each (Silo.csproj turns it off for speed under load right after start; behaviour is the same).
        start.Environment.TryAdd("DOTNET_TC_QuickJit", "1");

        var process = new Process { StartInfo = start };
        var certificatePath = env.GetValueOrDefault("SOKETI_SSL_CERT") is { Length: > 0 } path ? path : null;
        var server = new ServerProcess(process, port, siloPort, env.GetValueOrDefault("SOKETI_PATH_PREFIX", ""), address, certificatePath);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Kills the process outright (SIGKILL), as a crash or the OOM killer would, and waits until it is gone.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the server to stop as an operator would (SIGTERM).</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        }
    }

    /// <summary>Waits until <c>/ready</c> answers 200 (for a process started with <see cref="Launch"/>).</summary>
    public async Task WaitUntilReady()
    {
        using var http = new HttpClient(ProbeHandler()) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(HttpUri, PathPrefix + "/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (SocketException)
            {
                // a connection reset between connect and the handler reading its peer's address escapes unwrapped
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server did not become ready:\n{Output}");
    }

    /// <summary>For a TLS server, trusts exactly the certificate it was started with: the first one of <c>SOKETI_SSL_CERT</c>'s file.</summary>
    private SocketsHttpHandler ProbeHandler()
    {
        var handler = new SocketsHttpHandler();
        if (_certificatePath is { } path)
        {
            using var first = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            var expected = first.RawData;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected);
        }

        return handler;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        var workingDirectory = _process.StartInfo.WorkingDirectory;
        _process.Dispose();
        Directory.Delete(workingDirectory, recursive: true);
        // Every server of the suite warms up (TLS, prefixes, each mode and role): none may fail to.
        if (Output.Contains(WarmUpFailed, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The server's start-up warm-up failed:\n{Output}");
        }
    }
}
