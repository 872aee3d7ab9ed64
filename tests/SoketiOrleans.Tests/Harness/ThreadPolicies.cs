namespace SoketiOrleans.Tests.Harness;

/// <summary>A process's threads with their Linux scheduling policy (<see cref="Other"/>, <see cref="Batch"/>, <see cref="Idle"/>), read from <c>/proc</c>.</summary>
public static class ThreadPolicies
{
    public const int Other = 0;
    public const int Batch = 3;
    public const int Idle = 5;

    public sealed record Thread(int Id, string Name, int Policy);

    public static IReadOnlyList<Thread> Of(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task").Select(task => Read(task)).OfType<Thread>()];

    public static Thread ThisThread() => Read("/proc/thread-self")!;

    /// <returns>Null when the thread ended meanwhile.</returns>
    private static Thread? Read(string task)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(task, "stat"));
        }
        catch (IOException)
        {
            return null;
        }

        // "tid (name) state ...": the name may hold spaces and parentheses; the policy is the 41st field.
        var nameEnd = stat.LastIndexOf(')');
        var fields = stat[(nameEnd + 2)..].Split(' ');
        var nameStart = stat.IndexOf('(');
        return new Thread(int.Parse(stat[..(nameStart - 1)]), stat[(nameStart + 1)..nameEnd], int.Parse(fields[41 - 3]));
    }
}
