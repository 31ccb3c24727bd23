using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CommunityDeliberation.Tests.Notifications;

/// <summary>
/// The outbox dispatcher with the real MailKit sender against <see cref="SmtpSink"/> on a real SQLite file, on a
/// manual clock: a send, retries while the server is down, giving up, no second send after a restart, idle when off.
/// </summary>
public sealed class OutboxDispatcherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Start);
    private readonly SmtpSink _sink = SmtpSink.OnFreePort();
    private TestDatabase? _database;

    private TestDatabase Database => _database!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(_clock, services => services.Configure<SmtpOptions>(o =>
    {
        o.Enabled = true;
        o.Host = "127.0.0.1";
        o.Port = _sink.Port;
        o.Security = SmtpSecurity.None;
        o.From = "社区议事厅 <noreply@example.org>";
        o.MaxAttempts = 3;
        o.FirstRetryDelay = TimeSpan.FromSeconds(30);
        o.Timeout = TimeSpan.FromSeconds(10);
    }));

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        await Database.DisposeAsync();
    }

    [Fact]
    public async Task SendsADueMessageThroughARealSmtpConversationAndRecordsIt()
    {
        _sink.Start();
        var id = await QueueAsync("wang@example.org", "听证会决定已公布 / Hearing decision published", "您好。\n.以点开头的一行\nHello.");

        var sent = await Dispatcher().DispatchDueAsync();

        Assert.Equal(1, sent);
        var received = Assert.Single(_sink.Messages);
        Assert.Equal("noreply@example.org", received.From);
        Assert.Equal(["wang@example.org"], received.To);
        Assert.Equal("听证会决定已公布 / Hearing decision published", received.Message.Subject);
        Assert.Contains(".以点开头的一行", received.Message.TextBody, StringComparison.Ordinal);
        var row = await RowAsync(id);
        Assert.Equal(Start.UtcDateTime, row.SentAtUtc);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.NextAttemptAtUtc);
        Assert.Equal(OutboxDispatcher.MessageId(row), received.Message.MessageId);
    }

    [Fact]
    public async Task RetriesWithBackOffWhileTheServerIsDownAndSendsOnceItIsUp()
    {
        var id = await QueueAsync("li@example.org", "主题", "正文");
        var dispatcher = Dispatcher();

        Assert.Equal(0, await dispatcher.DispatchDueAsync());
        var failed = await RowAsync(id);
        Assert.Equal(1, failed.Attempts);
        Assert.NotNull(failed.LastError);
        Assert.Null(failed.SentAtUtc);
        Assert.Equal(Start.UtcDateTime.AddSeconds(30), failed.NextAttemptAtUtc);

        // Not due yet: nothing is tried, the attempt count stays.
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await dispatcher.DispatchDueAsync());
        Assert.Equal(1, (await RowAsync(id)).Attempts);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync());
        var second = await RowAsync(id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal(_clock.Now.UtcDateTime.AddSeconds(60), second.NextAttemptAtUtc);

        _sink.Start();
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await dispatcher.DispatchDueAsync());
        Assert.Single(_sink.Messages);
        var sent = await RowAsync(id);
        Assert.Equal(3, sent.Attempts);
        Assert.NotNull(sent.SentAtUtc);
        Assert.Null(sent.LastError);
    }

    [Fact]
    public async Task GivesUpAfterTheMostAttemptsAndKeepsTheRecord()
    {
        var id = await QueueAsync("zhang@example.org", "主题", "正文");
        var dispatcher = Dispatcher();

        for (var i = 0; i < 3; i++)
        {
            await dispatcher.DispatchDueAsync();
            _clock.Advance(TimeSpan.FromHours(3));
        }

        var row = await RowAsync(id);
        Assert.Equal(3, row.Attempts);
        Assert.NotNull(row.GaveUpAtUtc);
        Assert.Null(row.NextAttemptAtUtc);
        Assert.NotNull(row.LastError);

        _sink.Start();
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync());
        Assert.Empty(_sink.Messages);
        Assert.Equal(3, (await RowAsync(id)).Attempts);
    }

    [Fact]
    public async Task ASentMessageIsNotSentAgainByARestartedDispatcher()
    {
        _sink.Start();
        await QueueAsync("chen@example.org", "一", "一");
        await QueueAsync("zhao@example.org", "二", "二");
        Assert.Equal(2, await Dispatcher().DispatchDueAsync());

        // A new dispatcher (the app restarted), later, on the same database: nothing is due.
        _clock.Advance(TimeSpan.FromDays(2));
        var restarted = ActivatorUtilities.CreateInstance<OutboxDispatcher>(Database.Services);
        Assert.Equal(0, await restarted.DispatchDueAsync());
        Assert.Equal(2, _sink.Messages.Count);
        Assert.Equal(["chen@example.org", "zhao@example.org"], _sink.Messages.Select(m => m.To.Single()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMessageClaimedByAnotherDispatcherIsLeftToIt()
    {
        _sink.Start();
        var id = await QueueAsync("sun@example.org", "主题", "正文");
        await using (var db = await Database.Factory.CreateDbContextAsync())
        {
            // Another instance claimed it a moment ago: its lease runs for minutes.
            await db.OutboxMessages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAtUtc, Start.UtcDateTime.AddMinutes(2)));
        }

        Assert.Equal(0, await Dispatcher().DispatchDueAsync());
        Assert.Empty(_sink.Messages);
    }

    [Fact]
    public async Task IsIdleWhenSmtpIsOff()
    {
        await using var off = await TestDatabase.CreateMigratedAsync(_clock);
        var dispatcher = off.Services.GetServices<IHostedService>().OfType<OutboxDispatcher>().Single();

        await dispatcher.StartAsync(CancellationToken.None);

        // Switched on, the loop runs until the host stops; off, it ends by itself without a stop being asked for.
        Assert.NotNull(dispatcher.ExecuteTask);
        await dispatcher.ExecuteTask.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(dispatcher.ExecuteTask.IsCompletedSuccessfully);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    private OutboxDispatcher Dispatcher() => Database.Services.GetRequiredService<OutboxDispatcher>();

    private async Task<long> QueueAsync(string to, string subject, string body)
    {
        await using var db = await Database.Factory.CreateDbContextAsync();
        var message = new OutboxMessage(OutboxChannel.Email, to, subject, body, _clock.Now.UtcDateTime);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private async Task<OutboxMessage> RowAsync(long id)
    {
        await using var db = await Database.Factory.CreateDbContextAsync();
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
