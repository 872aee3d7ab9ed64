using SoketiOrleans.Bench;
using SoketiOrleans.Bench.Compare;

try
{
    return args switch
    {
        ["run", .. var rest] => await RunCommand.MainAsync(Options.Parse(rest)),
        ["compare", .. var rest] => await Runner.MainAsync(Options.Parse(rest)),
        _ => Usage(),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          SoketiOrleans.Bench run --scenario NAME --host H --port P --app-id ID --key K --secret S --server-pid PID
                                  [--warmup 2] [--seconds 10] [--size full|small] [--metrics-url URL] [scenario size options]
          SoketiOrleans.Bench compare --a NAME=COMMAND --b NAME=COMMAND [--rounds 3] [--scenarios all|a,b]
                                  [--warmup 2] [--seconds 10] [--out FILE.md] [--server-cpus 0] [--generator-cpus 1]
                                  [--size full|small] [scenario size options]
        scenarios and their size options (full / small); `all` is the first five:
        """ + "\n" + string.Join('\n', SoketiOrleans.Bench.Scenarios.Catalog.Every.Select(s => "  " + s.Describe())));
    return 2;
}
