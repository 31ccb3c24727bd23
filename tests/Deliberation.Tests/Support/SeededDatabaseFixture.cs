using CommunityDeliberation.Deliberation.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>A migrated SQLite file loaded with the real seeds/ folder, shared by the tests of one class.</summary>
public class SeededDatabaseFixture : IAsyncLifetime
{
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _configure;
    private TestDatabase? _database;
    private IReadOnlyDictionary<string, string>? _userIds;
    private SeedReport? _firstLoad;

    public SeededDatabaseFixture()
        : this(null)
    {
    }

    protected SeededDatabaseFixture(TimeProvider? clock, Action<IServiceCollection>? configure = null)
    {
        _clock = clock;
        _configure = configure;
    }

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized");

    /// <summary>What the first <see cref="SeedLoader.LoadAsync"/> reported.</summary>
    public SeedReport FirstLoad => _firstLoad ?? throw new InvalidOperationException("Not initialized");

    /// <summary>User id by user name (case-sensitive, as seeded).</summary>
    public IReadOnlyDictionary<string, string> UserIds => _userIds ?? throw new InvalidOperationException("Not initialized");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(_clock, _configure);
        _firstLoad = await SeedLoader.LoadAsync(_database.Factory, RepositoryPaths.Seeds, TimeProvider.System);
        await using var db = await _database.Factory.CreateDbContextAsync();
        _userIds = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, u => u.Id, StringComparer.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>The seeded database with the services on a <see cref="ManualClock"/> (for votes with a closing time).</summary>
public sealed class ManualClockDatabaseFixture : SeededDatabaseFixture
{
    public static readonly DateTimeOffset Start = new(2026, 3, 8, 6, 0, 0, TimeSpan.Zero);

    public ManualClockDatabaseFixture()
        : this(new ManualClock(Start))
    {
    }

    private ManualClockDatabaseFixture(ManualClock clock)
        : base(clock)
    {
        Clock = clock;
    }

    public ManualClock Clock { get; }
}
