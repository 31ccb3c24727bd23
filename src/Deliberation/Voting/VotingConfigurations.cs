using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Voting;

internal sealed class PollConfiguration : IEntityTypeConfiguration<Poll>
{
    public void Configure(EntityTypeBuilder<Poll> b)
    {
        b.Property(x => x.Question).HasMaxLength(Limits.Question);
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SessionId, x.Status });
        b.HasIndex(x => new { x.Status, x.ClosesAtUtc });
        b.Property(x => x.BallotCount).IsConcurrencyToken();
        b.Property(x => x.AnnulmentReason).HasMaxLength(Poll.AnnulmentReasonMax);
        b.Property(x => x.AnnulmentRequestedAs).HasMaxLength(40);
        b.Ignore(x => x.Spec);
        b.Ignore(x => x.Decision);
        b.Ignore(x => x.CountsVisible);
        b.ComplexProperty(x => x.Rule, r =>
        {
            r.Property(p => p.Kind).HasColumnName("RuleKind");
            r.Property(p => p.Base).HasColumnName("RuleBase");
            r.Property(p => p.AbstentionsCount).HasColumnName("RuleAbstentionsCount");
            r.Property(p => p.Numerator).HasColumnName("RuleNumerator");
            r.Property(p => p.Denominator).HasColumnName("RuleDenominator");
        });
        b.HasMany(x => x.Options).WithOne().HasForeignKey(o => o.PollId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Options).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
    }
}

internal sealed class PollOptionConfiguration : IEntityTypeConfiguration<PollOption>
{
    public void Configure(EntityTypeBuilder<PollOption> b)
    {
        b.Property(x => x.Label).HasMaxLength(PollSpec.OptionLabelMax);
        b.HasIndex(x => new { x.PollId, x.Index }).IsUnique();
    }
}

internal sealed class BallotConfiguration : IEntityTypeConfiguration<Ballot>
{
    public void Configure(EntityTypeBuilder<Ballot> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Selections).HasMaxLength(400);
        b.Ignore(x => x.SelectedOptions);
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.MembershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CastByUserId).OnDelete(DeleteBehavior.Restrict);
        // Named votes: one ballot per member, also in the ballot table. (Secret ballots have no member: NULLs are distinct.)
        b.HasIndex(x => new { x.PollId, x.MembershipId }).IsUnique().HasDatabaseName("UX_Ballots_Poll_Member");
    }
}

internal sealed class SealedBallotConfiguration : IEntityTypeConfiguration<SealedBallot>
{
    public void Configure(EntityTypeBuilder<SealedBallot> b)
    {
        b.Property(x => x.Envelope).HasMaxLength(256);
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.PollId);
    }
}

internal sealed class CountedReceiptConfiguration : IEntityTypeConfiguration<CountedReceipt>
{
    public void Configure(EntityTypeBuilder<CountedReceipt> b)
    {
        b.Property(x => x.Code).HasMaxLength(16);
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.PollId, x.Code }).IsUnique();
    }
}

internal sealed class ParticipationConfiguration : IEntityTypeConfiguration<Participation>
{
    public void Configure(EntityTypeBuilder<Participation> b)
    {
        b.Property(x => x.IdempotencyKey).HasMaxLength(Participation.IdempotencyKeyMax);
        b.HasOne<Poll>().WithMany().HasForeignKey(x => x.PollId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.MembershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CastByUserId).OnDelete(DeleteBehavior.Restrict);
        // One person, one ballot: enforced by the database for named and secret votes alike.
        b.HasIndex(x => new { x.PollId, x.MembershipId }).IsUnique().HasDatabaseName("UX_Participations_Poll_Member");
    }
}

internal sealed class DelegationConfiguration : IEntityTypeConfiguration<Delegation>
{
    public void Configure(EntityTypeBuilder<Delegation> b)
    {
        b.Ignore(x => x.IsActive);
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.FromMembershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(x => x.ToMembershipId).OnDelete(DeleteBehavior.Restrict);
        // At most one active delegation per delegator and session.
        b.HasIndex(x => new { x.SessionId, x.FromMembershipId }).IsUnique().HasFilter("\"RevokedAtUtc\" IS NULL").HasDatabaseName("UX_Delegations_Active");
        b.HasIndex(x => new { x.SessionId, x.ToMembershipId });
    }
}
