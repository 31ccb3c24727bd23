using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace CommunityDeliberation.Tests.Notifications;

/// <summary>
/// A local SMTP server that speaks just enough of RFC 5321 for a real client (220, EHLO/HELO, MAIL, RCPT, DATA with
/// dot-unstuffing, RSET, NOOP, QUIT) and keeps every message it accepted. It can be stopped and started again on the
/// same port, to stand for a mail server that is down for a while.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<Received> _received = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    private SmtpSink(int port) => Port = port;

    public int Port { get; }

    /// <summary>The messages accepted so far, in order.</summary>
    public IReadOnlyList<Received> Messages => _received.ToArray();

    /// <summary>A sink on a free port of the loopback address, not listening yet.</summary>
    public static SmtpSink OnFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new SmtpSink(port);
    }

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting!;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _listener = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(ct);
            _ = Task.Run(() => ConverseAsync(client, ct), ct);
        }
    }

    private async Task ConverseAsync(TcpClient client, CancellationToken ct)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 1024, leaveOpen: true);
        await using var writer = new StreamWriter(stream, Encoding.Latin1, 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink.test ESMTP ready");
        string? from = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                case "HELO":
                    await writer.WriteLineAsync("250 sink.test");
                    break;
                case "MAIL":
                    from = Address(line);
                    to.Clear();
                    await writer.WriteLineAsync("250 2.1.0 OK");
                    break;
                case "RCPT":
                    to.Add(Address(line));
                    await writer.WriteLineAsync("250 2.1.5 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(ct) is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.Latin1.GetBytes(data.ToString())), ct);
                    _received.Enqueue(new Received(from ?? string.Empty, to.ToList(), message));
                    await writer.WriteLineAsync("250 2.0.0 queued");
                    break;
                case "RSET":
                case "NOOP":
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.1 not implemented");
                    break;
            }
        }
    }

    private static string Address(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? line[(open + 1)..close] : string.Empty;
    }

    /// <summary>One accepted message: the envelope and the parsed message.</summary>
    public sealed record Received(string From, IReadOnlyList<string> To, MimeMessage Message);
}
