using System.Net.Sockets;
using System.Text;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A backend that publishes a sequence of events over one HTTP/1.1 connection without waiting for
/// each answer: every signed <c>POST /events</c> is written back to back (pipelining) while the
/// answers are read. Kestrel handles the requests of one connection strictly one after another and
/// answers each before it reads the next, and the server answers 200 only once every gateway has
/// the event, so the order written here is the server's publish order: event i+1 reaches the
/// channel grain only after event i was acknowledged. Requests on different connections have no
/// order between them.
/// </summary>
public static class PipelinedPublisher
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <returns>Each request's status and body, in the order sent.</returns>
    public static async Task<IReadOnlyList<(int Status, string Body)>> Trigger(
        Uri server, string channel, string name, IReadOnlyList<string> data, PusherSigner? signer = null)
    {
        signer ??= new PusherSigner();
        using var timeout = new CancellationTokenSource(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();

        var path = $"/apps/{signer.AppId}/events";
        var writing = Task.Run(async () =>
        {
            foreach (var item in data)
            {
                var body = PusherApi.EventBody(channel, name, item);
                var request = $"POST {path}?{signer.SignedQuery("POST", path, body)} HTTP/1.1\r\n"
                    + $"Host: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token);
            }
        });

        var reader = new ResponseReader(stream);
        var answers = new List<(int Status, string Body)>(data.Count);
        while (answers.Count < data.Count)
        {
            answers.Add(await reader.Next(timeout.Token));
        }

        await writing;
        return answers;
    }

    /// <summary>Reads HTTP/1.1 responses with a <c>Content-Length</c> (the API sets one on every answer) off one stream.</summary>
    private sealed class ResponseReader(Stream stream)
    {
        private byte[] _data = new byte[16 * 1024];
        private int _length;

        public async Task<(int Status, string Body)> Next(CancellationToken cancellationToken)
        {
            int headEnd;
            while ((headEnd = _data.AsSpan(0, _length).IndexOf("\r\n\r\n"u8)) < 0)
            {
                await Fill(cancellationToken);
            }

            var lines = Encoding.ASCII.GetString(Take(headEnd + 4)).Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1]);
            var length = lines.Skip(1)
                .Select(line => line.Split(':', 2))
                .Where(header => header.Length == 2 && header[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(header => int.Parse(header[1].Trim()))
                .Single();
            while (_length < length)
            {
                await Fill(cancellationToken);
            }

            return (status, Encoding.UTF8.GetString(Take(length)));
        }

        private async Task Fill(CancellationToken cancellationToken)
        {
            if (_length == _data.Length)
            {
                Array.Resize(ref _data, _data.Length * 2);
            }

            var read = await stream.ReadAsync(_data.AsMemory(_length), cancellationToken);
            _length += read > 0 ? read : throw new IOException("The server closed the connection before answering every request");
        }

        private byte[] Take(int count)
        {
            var taken = _data[..count];
            Buffer.BlockCopy(_data, count, _data, 0, _length - count);
            _length -= count;
            return taken;
        }
    }
}
