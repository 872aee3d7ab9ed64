using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

public sealed class DotEnvFileTests
{
    [Fact]
    public void Reads_dotenv_lines()
    {
        var parsed = DotEnvFile.Parse([
            "# a comment",
            "",
            "SOKETI_PORT=7001",
            "export SOKETI_DEBUG=1",
            "SOKETI_DEFAULT_APP_KEY=\"quoted value\"",
            "SOKETI_DEFAULT_APP_SECRET='single # not a comment'",
            "SOKETI_HOST=127.0.0.1 # trailing comment",
            "not a pair",
            "=no-key",
        ]).ToList();

        Assert.Equal(
            [
                KeyValuePair.Create("SOKETI_PORT", "7001"),
                KeyValuePair.Create("SOKETI_DEBUG", "1"),
                KeyValuePair.Create("SOKETI_DEFAULT_APP_KEY", "quoted value"),
                KeyValuePair.Create("SOKETI_DEFAULT_APP_SECRET", "single # not a comment"),
                KeyValuePair.Create("SOKETI_HOST", "127.0.0.1"),
            ],
            parsed);
    }

    [Fact]
    public void The_environment_wins_over_the_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["SOKETI_PORT=7001", "SOKETI_DEBUG=true"]);
            var merged = DotEnvFile.Merge(new Dictionary<string, string> { ["SOKETI_PORT"] = "6001" }, file);

            Assert.Equal(("6001", "true"), (merged["SOKETI_PORT"], merged["SOKETI_DEBUG"]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_file_changes_nothing()
    {
        var environment = new Dictionary<string, string> { ["A"] = "1" };
        Assert.Same(environment, DotEnvFile.Merge(environment, "/no/such/.env"));
    }
}
