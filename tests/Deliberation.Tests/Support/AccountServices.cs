using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>ASP.NET Core Identity on a test database, wired as the app wires it (<see cref="AccountPolicy"/>).</summary>
public static class AccountServices
{
    public static ServiceProvider Create(TestDatabase database, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddDeliberationPersistence(database.Settings, database.Directory);
        services.AddLogging();
        services.AddHttpContextAccessor();
        services.AddAuthentication(IdentityConstants.ApplicationScheme);
        services.AddSingleton(TimeProvider.System);
        services.AddDeliberationAccounts();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
