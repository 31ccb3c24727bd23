using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Projects;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Casting;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Deliberation;

public static class ServiceRegistration
{
    /// <summary>Application services and the in-process event path.</summary>
    public static IServiceCollection AddDeliberation(this IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(StoredPrecisionClock.Default);
        services.AddOptions<DisplayOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(DisplayOptions.Section).Bind(options));
        services.AddMetrics();
        services.AddSingleton<DeliberationMetrics>();
        services.AddSingleton<SessionEventBus>();
        services.AddSingleton<ISessionEventSubscriber>(sp => sp.GetRequiredService<SessionEventBus>());
        services.AddSingleton<PacedSessionEvents>();
        services.AddSingleton<ISessionEventTransport, InProcessSessionEventTransport>();
        services.AddSingleton<ISessionEventPublisher, SessionEventPublisher>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<SessionCalendar>();
        services.AddSingleton<CastChecks>();
        services.AddOptions<BallotSealOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(BallotSealOptions.Section).Bind(options));
        services.AddSingleton<BallotSeal>();
        services.AddSingleton<BallotCasting>();
        services.AddSingleton<VotingService>();
        services.AddSingleton<SpeakerService>();
        services.AddSingleton<TallyBroadcaster>();
        services.AddSingleton<MinutesService>();
        services.AddSingleton<LogAudit>();
        services.AddSingleton<ProposalService>();
        services.AddSingleton<AmendmentService>();
        services.AddOptions<TopicOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(TopicOptions.Section).Bind(options));
        services.AddSingleton<TopicSourceKey>();
        services.AddSingleton<TopicService>();
        services.AddOptions<HearingOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(HearingOptions.Section).Bind(options));
        services.AddSingleton<HearingIdentityKey>();
        services.AddSingleton<HearingService>();
        services.AddSingleton<HearingPublicService>();
        services.AddSingleton<ArchiveReader>();
        services.AddSingleton<ArchiveSearch>();
        services.AddSingleton<ArchiveExport>();
        services.AddSingleton<ArchiveFeed>();
        services.AddSingleton<BodyAdminService>();
        services.AddSingleton<CommentService>();
        services.AddOptions<LedgerOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(LedgerOptions.Section).Bind(options));
        services.AddSingleton<LedgerFollowUps>();
        services.AddSingleton<LedgerService>();
        services.AddOptions<SmtpOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            var configuration = provider.GetService<IConfiguration>();
            configuration?.GetSection(SmtpOptions.Section).Bind(options);
            options.PublicBaseUrl ??= configuration?["App:PublicBaseUrl"];
        });
        services.AddSingleton<NoticeService>();
        services.AddSingleton<LedgerFollowService>();
        services.AddSingleton<HearingFeedbackNotices>();
        services.AddSingleton<INotificationSender, SmtpNotificationSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxDispatcher>());
        services.AddOptions<ConsultationOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(ConsultationOptions.Section).Bind(options));
        services.AddSingleton<ConsultationQueries>();
        services.AddSingleton<ConsultationService>();
        services.AddSingleton<ProjectService>();
        services.AddOptions<AccountOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(AccountOptions.Section).Bind(options));
        services.AddDeliberationUsers();
        services.AddSingleton<AccountService>();
        services.AddHostedService<PollTimerService>();
        return services;
    }
}
