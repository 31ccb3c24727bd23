using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// A second copy of the app's services on the same SQLite file, as a second app process would be: its own ballot
/// writers, its own caches and its own in-process event bus (events of one instance do not reach the other, as with no
/// cross-instance transport configured).
/// </summary>
public sealed class SecondInstance : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public SecondInstance(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddDeliberationPersistence(database.Settings, database.Directory);
        services.AddDeliberation();
        services.AddLogging();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public VotingService Voting => _provider.GetRequiredService<VotingService>();

    public SessionService Sessions => _provider.GetRequiredService<SessionService>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
