using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence unless asked, in its own
/// temporary folder. Disposing kills it by PID. <see cref="Restart"/> brings it back on the same port,
/// with its data (<c>keepData</c>, from an RDB written at the stop) or empty. Topologies (sentinel,
/// cluster node, TLS) start it with their own config file, arguments and redis-cli arguments.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("soketi-orleans-redis-");
    private readonly StringBuilder _output = new();
    private readonly string? _config;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyList<string> _cli;
    private Process? _process;

    private RedisServer(int port, string? config, IReadOnlyList<string> arguments, IReadOnlyList<string> cli)
    {
        Port = port;
        _config = config;
        _arguments = arguments;
        _cli = cli;
    }

    public int Port { get; }

    public int? Pid => _process?.Id;

    /// <summary>SOKETI_* variables that put a server in <c>redis</c> mode against this Redis.</summary>
    public Dictionary<string, string> Environment(string? prefix = null)
    {
        var env = new Dictionary<string, string>
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis",
            ["SOKETI_DB_REDIS_HOST"] = "127.0.0.1",
            ["SOKETI_DB_REDIS_PORT"] = Port.ToString(),
        };
        if (prefix is not null)
        {
            env["SOKETI_ADAPTER_REDIS_PREFIX"] = prefix;
        }

        return env;
    }

    /// <param name="port">Where it listens; a free port unless given.</param>
    /// <param name="config">A config file's text, written in its folder and passed first: a sentinel rewrites its own.</param>
    /// <param name="arguments">redis-server arguments after the defaults, which they override (a later <c>--port</c> wins).</param>
    /// <param name="cli">redis-cli arguments needed to reach it, such as TLS's.</param>
    public static async Task<RedisServer> Start(
        int? port = null, string? config = null, IReadOnlyList<string>? arguments = null, IReadOnlyList<string>? cli = null)
    {
        var server = new RedisServer(port ?? FreePort.Next(), config, arguments ?? [], cli ?? []);
        try
        {
            await server.Launch();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops Redis (SIGKILL after saving when <paramref name="keepData"/>) and starts it again on the same port.</summary>
    public async Task Restart(bool keepData, TimeSpan? down = null)
    {
        if (keepData)
        {
            await Command("SAVE");
        }

        await Stop();
        if (!keepData)
        {
            File.Delete(Path.Combine(_folder.FullName, "dump.rdb"));
        }

        if (down is { } wait)
        {
            await Task.Delay(wait); // an outage of a given length: the point of the test, not a wait for a condition
        }

        await Launch();
    }

    public async Task Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Runs one command with redis-cli and returns its output.</summary>
    public async Task<string> Command(params string[] args)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port.ToString() }.Concat(_cli).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var cli = Process.Start(start)!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output.Trim();
    }

    private async Task Launch()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.FullName,
        };
        if (_config is not null)
        {
            var file = Path.Combine(_folder.FullName, "redis.conf");
            if (!File.Exists(file)) // a restart keeps what the server rewrote in it
            {
                await File.WriteAllTextAsync(file, _config);
            }

            start.ArgumentList.Add(file);
        }

        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.FullName }.Concat(_arguments))
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                if (await Command("PING") == "PONG")
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // not listening yet
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server did not start:\n{Output}");
    }

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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _process?.Dispose();
        _folder.Delete(recursive: true);
    }
}
