using CommunityDeliberation.Deliberation.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Support;

/// <summary>A migrated SQLite file loaded with the real seeds/ folder, shared by the tests of one class.</summary>
public sealed class SeededDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private IReadOnlyDictionary<string, string>? _userIds;
    private SeedReport? _firstLoad;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized");

    /// <summary>What the first <see cref="SeedLoader.LoadAsync"/> reported.</summary>
    public SeedReport FirstLoad => _firstLoad ?? throw new InvalidOperationException("Not initialized");

    /// <summary>User id by user name (case-sensitive, as seeded).</summary>
    public IReadOnlyDictionary<string, string> UserIds => _userIds ?? throw new InvalidOperationException("Not initialized");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
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
