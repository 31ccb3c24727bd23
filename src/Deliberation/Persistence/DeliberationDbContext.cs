using CommunityDeliberation.Deliberation.Accounts;
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
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass (<see cref="SqliteDeliberationDbContext"/>,
/// <see cref="PostgresDeliberationDbContext"/>) so that each has its own EF Core migrations and model snapshot (ADR 0010);
/// the application only ever asks for <see cref="DeliberationDbContext"/>.
/// </summary>
public abstract class DeliberationDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// The ASP.NET Core Data Protection key ring (sign-in cookies, antiforgery tokens), so a restart or a second instance
    /// keeps everyone signed in; the key XML is encrypted with a secret from configuration before it is stored (ADR 0015).
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Body> Bodies => Set<Body>();

    public DbSet<Term> Terms => Set<Term>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<AgendaItem> AgendaItems => Set<AgendaItem>();

    public DbSet<Attendance> Attendances => Set<Attendance>();

    public DbSet<Poll> Polls => Set<Poll>();

    public DbSet<PollOption> PollOptions => Set<PollOption>();

    public DbSet<Ballot> Ballots => Set<Ballot>();

    public DbSet<Participation> Participations => Set<Participation>();

    /// <summary>Secret ballots as cast, sealed until their vote closes (ADR 0016).</summary>
    public DbSet<SealedBallot> SealedBallots => Set<SealedBallot>();

    /// <summary>The work ledger's follow-up items and their history.</summary>
    public DbSet<LedgerItem> LedgerItems => Set<LedgerItem>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    /// <summary>Service projects of joint conferences, the units' claims on them and their progress reports (项目认领).</summary>
    public DbSet<ServiceProject> ServiceProjects => Set<ServiceProject>();

    public DbSet<ProjectClaim> ProjectClaims => Set<ProjectClaim>();

    public DbSet<ProjectReport> ProjectReports => Set<ProjectReport>();

    /// <summary>Receipts of counted secret ballots, apart from the choices.</summary>
    public DbSet<CountedReceipt> CountedReceipts => Set<CountedReceipt>();

    public DbSet<Delegation> Delegations => Set<Delegation>();

    public DbSet<Proposal> Proposals => Set<Proposal>();

    public DbSet<ProposalVersion> ProposalVersions => Set<ProposalVersion>();

    public DbSet<CoSponsorship> CoSponsorships => Set<CoSponsorship>();

    public DbSet<ProposalStatusChange> ProposalStatusChanges => Set<ProposalStatusChange>();

    public DbSet<Amendment> Amendments => Set<Amendment>();

    public DbSet<TopicSubmission> TopicSubmissions => Set<TopicSubmission>();
    public DbSet<SpeakerRequest> SpeakerRequests => Set<SpeakerRequest>();

    public DbSet<Comment> Comments => Set<Comment>();

    public DbSet<CommentReport> CommentReports => Set<CommentReport>();

    public DbSet<SessionLogEntry> SessionLog => Set<SessionLogEntry>();

    public DbSet<SessionMinutes> Minutes => Set<SessionMinutes>();

    public DbSet<MinutesVersion> MinutesVersions => Set<MinutesVersion>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Hearing> Hearings => Set<Hearing>();

    public DbSet<HearingIssue> HearingIssues => Set<HearingIssue>();

    public DbSet<HearingRegistration> HearingRegistrations => Set<HearingRegistration>();

    public DbSet<HearingSpeech> HearingSpeeches => Set<HearingSpeech>();

    public DbSet<HearingComment> HearingComments => Set<HearingComment>();

    public DbSet<HearingDraw> HearingDraws => Set<HearingDraw>();

    /// <summary>In-app notices, one per account and occasion (Notifications, ADR 0018).</summary>
    public DbSet<Notice> Notices => Set<Notice>();

    /// <summary>Messages to send (e-mail), written with the change that causes them and sent by the dispatcher (ADR 0018).</summary>
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    /// <summary>Who follows which ledger item (one row per item and account).</summary>
    public DbSet<LedgerFollow> LedgerFollows => Set<LedgerFollow>();
    public DbSet<Consultation> Consultations => Set<Consultation>();

    public DbSet<ConsultationBloc> ConsultationBlocs => Set<ConsultationBloc>();

    public DbSet<BlocMember> ConsultationBlocMembers => Set<BlocMember>();

    public DbSet<BlocPosition> ConsultationPositions => Set<BlocPosition>();

    public DbSet<BlocVote> ConsultationVotes => Set<BlocVote>();

    public DbSet<BlocDissent> ConsultationDissents => Set<BlocDissent>();

    public DbSet<ConsultationAssessment> ConsultationAssessments => Set<ConsultationAssessment>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DeliberationDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored as their names: readable in SQL, stable across reordering, same on SQLite and PostgreSQL.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}
