using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence unless asked, in its own
/// temporary folder. Disposing kills it by PID. <see cref="Restart"/> brings it back on the same port,
/// with its data (<c>keepData</c>, from an RDB written at the stop) or empty.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("soketi-orleans-redis-");
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port) => Port = port;

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

    public static async Task<RedisServer> Start()
    {
        var server = new RedisServer(FreePort.Next());
        await server.Launch();
        return server;
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
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port.ToString() }.Concat(args))
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
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.FullName })
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
