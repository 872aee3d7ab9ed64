using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// Property-based fuzzing of the configuration loader, in process (it is a pure function of the
/// arguments, the environment and the file): any values for any of soketi's variables and this
/// server's, in the environment, in a <c>.env</c> file or in a <c>--config</c> file, either load or stop start-up with a
/// <see cref="ConfigurationException"/> whose every problem names a key or variable that was set.
/// No other exception, whatever the value. Run length and seed: <see cref="FuzzSeed"/>.
/// </summary>
public sealed class ConfigFuzzTests
{
    private static readonly string[] Names = [.. EnvironmentVariables.Paths.Keys];

    private static readonly Gen<string> Value = Gen.Frequency(
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (2, Gen.OneOf("true", "false", "null", "", " ", "[]", "{}", "-1", "0", "1", "1e309", "NaN", "0x10", "99999999999999999999", "local", "redis", "cluster", "full", "server", "worker")),
        (2, FuzzMessages.Json.Select(j => j?.ToJsonString() ?? "null")),
        (2, FuzzMessages.Text));

    /// <summary>
    /// As a process sees its environment on Linux: no NUL (C strings), and bytes that are not UTF-8
    /// already replaced with U+FFFD by the runtime, so no lone surrogate.
    /// </summary>
    private static readonly Gen<Dictionary<string, string>> Environment =
        Gen.Select(Gen.OneOf(Names), Value).Array[1, 5].Select(pairs => pairs
            .GroupBy(p => p.Item1)
            .ToDictionary(g => EnvironmentVariables.Prefix + g.Key, g => AsTheEnvironmentHasIt(g.Last().Item2)));

    private static string AsTheEnvironmentHasIt(string value) =>
        System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(value.Replace("\0", "", StringComparison.Ordinal)));

    private static readonly Gen<JsonObject> File =
        Gen.Select(Gen.OneOf(Names), FuzzMessages.Json).Array[1, 5].Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (name, value) in pairs)
            {
                o[EnvironmentVariables.Paths[name]] = value?.DeepClone();
            }

            return o;
        });

    [Fact]
    public void Any_environment_values_load_or_stop_start_up_naming_what_was_set()
    {
        Environment.Sample(environment => LoadsOrNames(() => ConfigLoader.Load([], environment), environment.Keys),
            seed: FuzzSeed.Value, iter: FuzzSeed.Iterations, print: e => string.Join(" ", e.Select(p => $"{p.Key}={p.Value}")));
    }

    [Fact]
    public void Any_config_file_values_load_or_stop_start_up_naming_what_was_set()
    {
        var path = Path.Combine(Path.GetTempPath(), $"soketi-config-fuzz-{Guid.NewGuid():N}.json");
        try
        {
            File.Sample(config =>
            {
                System.IO.File.WriteAllText(path, config.ToJsonString());
                LoadsOrNames(() => ConfigLoader.Load([$"--config={path}"], new Dictionary<string, string>()), config.Select(p => p.Key));
            }, seed: FuzzSeed.Value, iter: FuzzSeed.Iterations, threads: 1, print: c => c.ToJsonString());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    /// <summary>A <c>.env</c> line: a known variable with a value bare, quoted or not closed, or a comment, an export, anything.</summary>
    private static readonly Gen<string> DotEnvLine = Gen.Frequency(
        (4, Gen.Select(Gen.OneOf(Names), Value, Gen.OneOf("", "\"", "'", "export "), (name, value, form) =>
            form == "export " ? $"export {EnvironmentVariables.Prefix}{name}={value}" : $"{EnvironmentVariables.Prefix}{name}={form}{value}{form}")),
        (1, Gen.Select(Gen.OneOf(Names), Value, (name, value) => $"{EnvironmentVariables.Prefix}{name}=\"{value}")),
        (1, FuzzMessages.Text.Select(t => "# " + t)),
        (1, FuzzMessages.Text));

    [Fact]
    public void Any_dotenv_file_loads_or_stops_start_up_naming_what_was_set()
    {
        var path = Path.Combine(Path.GetTempPath(), $"soketi-dotenv-fuzz-{Guid.NewGuid():N}.env");
        try
        {
            DotEnvLine.Array[1, 6].Sample(lines =>
            {
                // Encoding.UTF8 writes a lone surrogate as U+FFFD, as an editor would have to.
                System.IO.File.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
                var environment = DotEnvFile.Merge(new Dictionary<string, string>(), path);
                LoadsOrNames(() => ConfigLoader.Load([], environment), environment.Keys);
            }, seed: FuzzSeed.Value, iter: FuzzSeed.Iterations, threads: 1, print: lines => string.Join("\n", lines));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static void LoadsOrNames(Action load, IEnumerable<string> set)
    {
        var names = set.ToArray();
        try
        {
            load();
        }
        catch (ConfigurationException e)
        {
            foreach (var problem in e.Problems)
            {
                Assert.True(names.Any(n => problem.Contains(n, StringComparison.Ordinal)), $"'{problem}' names none of {string.Join(", ", names)}");
            }
        }
    }
}
