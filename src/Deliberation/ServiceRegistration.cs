using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Casting;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Deliberation;

public static class ServiceRegistration
{
    /// <summary>Application services and the in-process event path.</summary>
    public static IServiceCollection AddDeliberation(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SessionEventBus>();
        services.AddSingleton<ISessionEventSubscriber>(sp => sp.GetRequiredService<SessionEventBus>());
        services.AddSingleton<ISessionEventTransport, InProcessSessionEventTransport>();
        services.AddSingleton<ISessionEventPublisher, SessionEventPublisher>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<SessionCalendar>();
        services.AddSingleton<CastChecks>();
        services.AddSingleton<VotingService>();
        services.AddSingleton<SpeakerService>();
        services.AddSingleton<TallyBroadcaster>();
        services.AddSingleton<MinutesService>();
        services.AddSingleton<ProposalService>();
        services.AddSingleton<TopicService>();
        services.AddSingleton<ArchiveService>();
        services.AddSingleton<BodyAdminService>();
        services.AddSingleton<CommentService>();
        services.AddHostedService<PollTimerService>();
        return services;
    }
}
